using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Worker;

/// <summary>
/// A standby worker (<c>ARC_WORKER_STANDBY=1</c>, started ahead by <c>LocalProcessOptions.StandbyWorkers</c>): it reads
/// its token, pays the first-use costs of serving before there is anything to serve, says so on stdout, then waits for
/// its assignment (assembly and what to serve) on the owner's pipe and goes on as any worker.
/// </summary>
/// <remarks>
/// Most of a cold start is first-use work, not the user's code (docs/performance.md, "Worker cold start"): JIT of
/// Kestrel's start and of the first gRPC request's path. A throwaway host serving a trivial model on loopback, called
/// once by Describe and once by Predict, runs that code here; the user's host later runs it compiled. The trivial
/// model's X and Y are reference types, like every Arc data type, so the generic code it compiles is the code shared
/// by all of them.
/// </remarks>
internal static class StandbyWorker
{
    /// <summary>The line on stdout that says the worker is warm and waits for its assignment.</summary>
    public const string WarmLine = "ARC-WORKER-STANDBY";

    public static bool IsRequested => Environment.GetEnvironmentVariable(WorkerEnvironment.Standby) == "1";

    /// <summary>Serves a trivial model on a free loopback port with <paramref name="token"/>, calls it twice, and stops it.</summary>
    public static async Task WarmUpAsync(string token, CancellationToken cancellationToken)
    {
        await using var host = await ArcWorkerHost.StartAsync(new TrivialModel(), new ArcWorkerOptions { Token = token }, cancellationToken).ConfigureAwait(false);
        await using var model = await RemoteModel<ImageData, ClassData>.ConnectAsync(new Uri($"http://127.0.0.1:{host.Port}"), token, cancellationToken).ConfigureAwait(false);
        await model.PredictAsync(new ImageData(ArcArray.Zeros(ArcDType.Float32, 1, 1, 2, 2)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the assignment on the owner's pipe and puts it in this process's environment, where the rest of the
    /// start reads it; false when the owner closed the pipe first (nothing to serve: the worker exits).
    /// </summary>
    public static async Task<bool> TakeAssignmentAsync(WorkerOwner owner, CancellationToken cancellationToken)
    {
        if (await owner.ReadLineAsync(cancellationToken).ConfigureAwait(false) is not { } line) return false;
        var assignment = WorkerAssignment.Parse(line);
        Environment.SetEnvironmentVariable(WorkerEnvironment.Assembly, assignment.AssemblyPath);
        foreach (var (name, value) in assignment.Variables) Environment.SetEnvironmentVariable(name, value);
        return true;
    }

    /// <summary>Class 0 for every image: enough to run a worker's request path.</summary>
    private sealed class TrivialModel : IRemoteModelHandler<ImageData, ClassData>
    {
        public ModelDescription Describe() => new("standby-warm-up", ImageData.WireTag, ClassData.WireTag);

        public ValueTask<FitReply> FitAsync(ImageData inputs, ClassData targets, CancellationToken cancellationToken)
            => ValueTask.FromResult(new FitReply(0, inputs.Count));

        public ValueTask<ClassData> PredictAsync(ImageData inputs, CancellationToken cancellationToken)
            => ValueTask.FromResult(new ClassData(new long[inputs.Count], ["zero"]));

        public ValueTask<ReadOnlyMemory<byte>> SaveWeightsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadOnlyMemory<byte>.Empty);

        public ValueTask LoadWeightsAsync(ReadOnlyMemory<byte> weights, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
