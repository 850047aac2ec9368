using System.Globalization;
using Arc.Samples.Mnist;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Bench.Remote;

/// <summary>
/// Case (c): one epoch of the sample's MLP on MNIST (batch 64, <c>ClassifyDigits.TrainAsync</c>) fitted in process
/// (<c>Target.InProcess</c>) against the same model in a worker process (<c>Target.LocalProcess</c>): same seed, same
/// batches, so both also end with the same loss. Two more rows explain the gap: the same epoch on the trivial
/// <see cref="PredictProbe"/> in a worker process (transport only) and the MLP behind a worker host inside this process
/// (<c>Target.LoopbackWorker</c>: Arc's layers without the process boundary). Epochs take turns; each reports its median.
/// </summary>
public static class MnistEpoch
{
    /// <summary>Runs the case and prints seconds per epoch and the ratio.</summary>
    public static async Task RunAsync(BenchOptions options)
    {
        int rounds = options.Quick ? 1 : 5;
        string loadBefore = MachineLoad.Line();
        var job = new ClassifyDigits(maxPerDigit: options.Quick ? 100 : 0);
        var hyperparameters = SampleModels.MlpHyperparameters(seed: 1);
        await using var local = await SampleModels.Mlp.DeployAsync(Target.InProcess, hyperparameters);
        await using var worker = await SampleModels.Mlp.DeployAsync(Target.LocalProcess, hyperparameters);
        // The same epoch on the trivial probe model in a worker process: what the transport alone costs per step.
        var probeRegistration = (ModelRegistration<PredictProbe, PredictProbe.Hyperparameters, ImageData, ClassData>)ArcRegistry.GetModel("predictprobe");
        await using var probe = await probeRegistration.DeployAsync(Target.LocalProcess, new PredictProbe.Hyperparameters());
        // The same model behind a worker host inside this process: separates the process boundary from Arc's layers.
        await using var loopback = await SampleModels.Mlp.DeployAsync(Target.LoopbackWorker, hyperparameters);
        IDeployedModel<ImageData, ClassData>[] models = [local, worker, probe, loopback];

        var seconds = models.Select(_ => new List<double>()).ToArray();
        var losses = new double[2];
        int samples = 0, steps = 0;
        for (int round = 0; round <= rounds; round++) // round 0 warms up (JIT, torch, connection) and is not counted
        {
            var train = new TrainOptions { Epochs = 1, BatchSize = 64, ShuffleSeed = 1 + round };
            for (int m = 0; m < models.Length; m++)
            {
                var summary = await job.TrainAsync(models[m], train);
                if (round > 0) seconds[m].Add(summary.Duration.TotalSeconds);
                if (m < 2) losses[m] = summary.LastEpochLoss;
                (samples, steps) = ((int)summary.Samples, (int)summary.Steps);
            }
        }
        double inProcess = Median(seconds[0]), remote = Median(seconds[1]), transport = Median(seconds[2]), sameProcess = Median(seconds[3]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(c) one MNIST epoch of the MLP 784-128-10 ({samples} digits, {steps} steps of 64), median of {rounds} (lower is better)"));
        Console.WriteLine($"    {"case",-44} {"s/epoch",10} {"ms/step",8}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"in process (Target.InProcess)",-44} {inProcess,10:0.000} {inProcess * 1e3 / steps,8:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"worker process (Target.LocalProcess)",-44} {remote,10:0.000} {remote * 1e3 / steps,8:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"worker process, trivial model (transport only)",-44} {transport,10:0.000} {transport * 1e3 / steps,8:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"worker host in this process (LoopbackWorker)",-44} {sameProcess,10:0.000} {sameProcess * 1e3 / steps,8:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    ratio worker/in-process {remote / inProcess:0.00}× (target ≤ 1.10×); same final loss: {(losses[0] == losses[1] ? "yes" : $"NO ({losses[0]} vs {losses[1]})")}"));
        Console.WriteLine($"    loadavg before: {loadBefore}; after: {MachineLoad.Line()}");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
