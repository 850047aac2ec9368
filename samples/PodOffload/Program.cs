using Arc.Samples.Mnist;
using Arc.Samples.PodOffload;
using Arc.Types;

// Runs a [Pod] on the MNIST digits here and in a worker process, and checks both agree.
//   dotnet run --project samples/PodOffload [-- maxPerDigit]
// The digits come from scripts/fetch-mnist.sh (run automatically the first time; ARC_DATA_DIR picks the cache).
int maxPerDigit = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 0;
var digits = await MnistDigits.LoadAsync(maxPerDigit: maxPerDigit);
var all = (Images: Arc.Types.ImageData.Concat([digits.Train.Inputs, digits.Test.Inputs]),
           Labels: Arc.Types.ClassData.Concat([digits.Train.Targets, digits.Test.Targets]));
var result = await PodOffloadDemo.RunAsync(all.Images, all.Labels, Console.Out);
return result.Identical && result.WorkerProcessId != result.ThisProcessId ? 0 : 1;
