using System.Globalization;
using Arc.Artifacts;
using Arc.Sdk;
using Arc.Types;
using ArcModel1;

// `dotnet run` trains the model in this process and in a worker process (Target.LocalProcess) on the same batches,
// evaluates both, saves the worker's model as an OCI artifact (in ~/.arc/artifacts, or $ARC_ARTIFACTS) and prints its
// reference. `dotnet run -- predict <reference>` connects to that saved model, from this or any other process, and
// evaluates it again.
var job = new ClassifyDigits();
var training = new TrainOptions { Epochs = 5, BatchSize = 50 };

if (args is ["predict", string reference])
{
    await using var saved = await SavedModel.ConnectAsync<ImageData, ClassData>(reference, Target.LocalProcess);
    Console.WriteLine($"connected to {reference}: accuracy={Accuracy(await job.EvaluateAsync(saved))}");
    return 0;
}

await using var here = await MlpClassifier.DeployAsync(Target.InProcess, hidden: 32);
await using var there = await MlpClassifier.DeployAsync(Target.LocalProcess, hidden: 32);
await job.TrainAsync(here, training);
await job.TrainAsync(there, training);
EvalReport hereReport = await job.EvaluateAsync(here);
EvalReport thereReport = await job.EvaluateAsync(there);
Console.WriteLine($"in process: accuracy={Accuracy(hereReport)}");
Console.WriteLine($"in a worker process: {there.WorkerProcessId is int pid && pid != Environment.ProcessId} accuracy={Accuracy(thereReport)}");

ArtifactReference savedAs = await there.SaveAsync(evaluation: thereReport);
Console.WriteLine($"saved: {savedAs}");
return 0;

static string Accuracy(EvalReport report) => report.Metric("accuracy").ToString("F4", CultureInfo.InvariantCulture);
