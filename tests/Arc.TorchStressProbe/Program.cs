using System.Diagnostics;
using Arc.Samples.Mnist;
using Arc.Types;

// Arc.TorchStressProbe <steps>
//
// Fits the MNIST sample's CNN (64 synthetic digits a step, one torch thread) for <steps> steps while a second thread
// does what a worker's decoder does during a fit, harder: it allocates 200 KB arrays and forces a gen-0 collection after
// every one. On a TorchSharp whose native calls do not keep their Scalars alive, such a collection finalizes a Scalar
// libtorch is still reading and the fit fails ("Unknown scalar type", "Expected false to be true") or the process
// dies; on the copy Arc's build marked it must not. Prints whether TorchSharp carries the mark first, then one line
// per 100 steps, then "fitted <steps> steps, <n> collections" and exits 0.
if (args.Length != 1 || !int.TryParse(args[0], out int steps) || steps < 1)
{
    Console.Error.WriteLine("usage: Arc.TorchStressProbe <steps>");
    return 2;
}

TorchSharp.torch.set_num_threads(1);

var random = new Random(3);
var pixels = new float[64 * 28 * 28];
for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
var labels = new long[64];
for (int i = 0; i < labels.Length; i++) labels[i] = random.Next(10);
var x = new ImageData(ArcArray.From(pixels, 64, 1, 28, 28));
var y = new ClassData(labels, MnistDigits.ClassNames);

using var model = new ConvClassifier(seed: 1);
// The model reads Arc's mark from the TorchSharp this process loaded (TorchGcSafety).
Console.WriteLine($"TorchSharp {typeof(TorchSharp.torch).Assembly.Location}: {(model.ToleratesCollectionsDuringSteps ? "marked" : "not marked")} by Arc's build");
long collections = 0;
using var stop = new CancellationTokenSource();
var noise = new Thread(() =>
{
    var batches = new byte[4][];
    for (int i = 0; !stop.IsCancellationRequested; i++)
    {
        batches[i & 3] = new byte[200_000];
        GC.Collect(0);
        Interlocked.Increment(ref collections);
    }
}) { IsBackground = true, Name = "collections" };
noise.Start();

var clock = Stopwatch.StartNew();
for (int step = 1; step <= steps; step++)
{
    double loss = model.Fit(x, y).Loss;
    if (!double.IsFinite(loss)) throw new InvalidOperationException($"step {step}: loss {loss}");
    if (step % 100 == 0) Console.WriteLine($"step {step}: loss {loss:F4}, {clock.Elapsed.TotalMilliseconds / step:F1} ms a step, {Interlocked.Read(ref collections)} collections");
}
stop.Cancel();
noise.Join();
Console.WriteLine($"fitted {steps} steps, {Interlocked.Read(ref collections)} collections");
return 0;
