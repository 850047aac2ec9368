using System.Globalization;
using Arc.Samples.Mnist;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Bench.Remote;

/// <summary>
/// Case (c): one epoch of the sample's MLP on MNIST (batch 64, <c>ClassifyDigits.TrainAsync</c>) fitted in process
/// (<c>Target.InProcess</c>) against the same model in a worker process (<c>Target.LocalProcess</c>): same seed, same
/// batches, so both also end with the same loss. Layer rows explain the gap: the MLP behind a worker host inside this
/// process (<c>Target.LoopbackWorker</c>: Arc's layers without the process boundary), and the same epoch on the trivial
/// <see cref="PredictProbe"/> (pixels unread) in process (the job's own work per step: shuffling, slicing, the loop),
/// behind a worker host in this process, and in a worker process (transport only); and both worker cases with the
/// batches over the socket instead of shared files (a second MLP worker, a second client of the trivial one). Epochs
/// take turns; each reports its median, with the CPU per step this process and the worker process used and the full
/// (generation 2) collections this process ran during its counted rounds. The judged figures come after the table, from
/// short runs on a quiet machine (<see cref="QuietEpochs"/>).
/// </summary>
public static class MnistEpoch
{
    private sealed record Case(string Name, IDeployedModel<ImageData, ClassData> Model, int? WorkerPid);

    /// <summary>Runs the case and prints seconds per epoch, CPU per step and the ratio.</summary>
    public static async Task RunAsync(BenchOptions options)
    {
        int rounds = options.Quick ? 1 : 5, warmUp = options.Quick ? 1 : 2;
        string loadBefore = MachineLoad.Line();
        var job = new ClassifyDigits(maxPerDigit: options.Quick ? 100 : 0);
        var hyperparameters = SampleModels.MlpHyperparameters(seed: 1);
        var probeRegistration = (ModelRegistration<PredictProbe, PredictProbe.Hyperparameters, ImageData, ClassData>)ArcRegistry.GetModel("predictprobe");
        var probeParameters = new PredictProbe.Hyperparameters();
        await using var local = await SampleModels.Mlp.DeployAsync(Target.InProcess, hyperparameters);
        await using var worker = await SampleModels.Mlp.DeployAsync(Target.LocalProcess, hyperparameters);
        await using var loopback = await SampleModels.Mlp.DeployAsync(Target.LoopbackWorker, hyperparameters);
        await using var probeLocal = await probeRegistration.DeployAsync(Target.InProcess, probeParameters);
        await using var probeLoopback = await probeRegistration.DeployAsync(Target.LoopbackWorker, probeParameters);
        await using var probeWorker = await probeRegistration.DeployAsync(Target.LocalProcess, probeParameters);
        // The same two worker cases with the batches over the socket (FitStream) instead of shared files (FitStreamShared).
        await using var socketWorker = await SampleModels.Mlp.DeployAsync(Target.LocalProcess, hyperparameters);
        await using var socketMlp = await OverTheSocketAsync(socketWorker);
        await using var socketProbe = await OverTheSocketAsync(probeWorker);
        Case[] cases =
        [
            new("MLP in process (Target.InProcess)", local, null),
            new("MLP in a worker process (LocalProcess)", worker, ((LocalProcessModel<ImageData, ClassData>)worker).ProcessId),
            new("MLP in a worker process, over the socket", socketMlp, ((LocalProcessModel<ImageData, ClassData>)socketWorker).ProcessId),
            new("MLP, worker host in this process", loopback, null),
            new("trivial model in process (the job alone)", probeLocal, null),
            new("trivial model, worker host in this process", probeLoopback, null),
            new("trivial model in a worker process", probeWorker, ((LocalProcessModel<ImageData, ClassData>)probeWorker).ProcessId),
            new("trivial model in a worker process, over the socket", socketProbe, ((LocalProcessModel<ImageData, ClassData>)probeWorker).ProcessId),
        ];

        var seconds = cases.Select(_ => new List<double>()).ToArray();
        var clientCpu = cases.Select(_ => new List<double>()).ToArray();
        var workerCpu = cases.Select(_ => new List<double>()).ToArray();
        var fullCollections = new int[cases.Length];
        var losses = new double[3];
        int self = Environment.ProcessId, samples = 0, steps = 0;
        long jitMethods = 0;
        TimeSpan jitTime = default;
        // Rounds up to 0 warm up (JIT, torch, connections) and are not counted. Tiered compilation still recompiles hot
        // methods in the background for several epochs after that, in this process and in the workers, so two rounds.
        for (int round = 1 - warmUp; round <= rounds; round++)
        {
            if (round == 1) (jitMethods, jitTime) = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
            var train = new TrainOptions { Epochs = 1, BatchSize = 64, ShuffleSeed = 1 + round };
            for (int m = 0; m < cases.Length; m++)
            {
                int collections0 = GC.CollectionCount(2);
                long client0 = ProcessCpu.Nanoseconds(self) ?? 0;
                long worker0 = cases[m].WorkerPid is int pid ? ProcessCpu.Nanoseconds(pid) ?? 0 : 0;
                var summary = await job.TrainAsync(cases[m].Model, train);
                long client1 = ProcessCpu.Nanoseconds(self) ?? 0;
                long worker1 = cases[m].WorkerPid is int pid1 ? ProcessCpu.Nanoseconds(pid1) ?? 0 : 0;
                (samples, steps) = ((int)summary.Samples, (int)summary.Steps);
                if (m < 3) losses[m] = summary.LastEpochLoss;
                if (round <= 0) continue;
                fullCollections[m] += GC.CollectionCount(2) - collections0;
                seconds[m].Add(summary.Duration.TotalSeconds);
                clientCpu[m].Add((client1 - client0) / 1e6 / steps);
                workerCpu[m].Add((worker1 - worker0) / 1e6 / steps);
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(c) one MNIST epoch of the MLP 784-128-10 ({samples} digits, {steps} steps of 64), median of {rounds} (lower is better)"));
        Console.WriteLine($"    {"case",-46} {"s/epoch",8} {"ms/step",8} {"CPU ms/step: this process",26} {"worker process",15} {"full GCs here",14}");
        for (int m = 0; m < cases.Length; m++)
        {
            double s = Statistics.Median(seconds[m]);
            string workerColumn = cases[m].WorkerPid is null ? "" : Statistics.Median(workerCpu[m]).ToString("0.00", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {cases[m].Name,-46} {s,8:0.000} {s * 1e3 / steps,8:0.00} {Statistics.Median(clientCpu[m]),26:0.00} {workerColumn,15} {fullCollections[m],14}"));
        }
        double inProcess = Statistics.Median(seconds[0]), remote = Statistics.Median(seconds[1]), socket = Statistics.Median(seconds[2]);
        int localThreads = TorchSharp.torch.get_num_threads();
        string workerThreads = WorkerThreads(cases[1].WorkerPid!.Value);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    ratio worker/in-process {remote / inProcess:0.00}× (target ≤ 1.10×; over the socket {socket / inProcess:0.00}×); intra-op threads: {localThreads} in process, {workerThreads} in the workers"));
        // Bit for bit the same only with the same thread count: libtorch splits its sums by thread, and a float sum's
        // last bits follow its order.
        double drift = Math.Max(Math.Abs(losses[1] - losses[0]), Math.Abs(losses[2] - losses[0])) / Math.Abs(losses[0]);
        string why = workerThreads == localThreads.ToString(CultureInfo.InvariantCulture) ? "same thread count: NOT expected" : "other thread counts sum in another order";
        Console.WriteLine(drift == 0
            ? string.Create(CultureInfo.InvariantCulture, $"    final loss the same in all three: {losses[0]}")
            : string.Create(CultureInfo.InvariantCulture, $"    final loss {losses[0]} in process, {losses[1]} and {losses[2]} in the workers: relative difference {drift:0.0e0} ({why})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    JIT in this process during the counted rounds: {System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods} methods, {(System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds:0} ms"));
        Console.WriteLine($"    loadavg before: {loadBefore}; after: {MachineLoad.Line()}");
        await QuietEpochs.RunAsync(options, job, local, worker, probeWorker, samples, steps,
            $"intra-op threads {localThreads} in process, {workerThreads} in the workers");
    }

    /// <summary>A second client of <paramref name="deployed"/>'s worker that sends its batches over the socket.</summary>
    private static async Task<RemoteModel<ImageData, ClassData>> OverTheSocketAsync(IDeployedModel<ImageData, ClassData> deployed)
    {
        var worker = (LocalProcessModel<ImageData, ClassData>)deployed;
        return await RemoteModel<ImageData, ClassData>.ConnectAsync(worker.Address, worker.ClientOptions with { SharedMemoryBatches = false });
    }

    /// <summary>The worker's intra-op thread count as its environment sets it (<c>OMP_NUM_THREADS</c>, read from /proc), or "libtorch's default".</summary>
    private static string WorkerThreads(int pid)
    {
        try
        {
            foreach (string entry in File.ReadAllText($"/proc/{pid}/environ").Split('\0'))
                if (entry.StartsWith("OMP_NUM_THREADS=", StringComparison.Ordinal)) return entry["OMP_NUM_THREADS=".Length..];
            return "libtorch's default";
        }
        catch (IOException) { return "unknown"; }
    }
}
