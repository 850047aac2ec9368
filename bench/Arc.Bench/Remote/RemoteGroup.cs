namespace Arc.Bench.Remote;

/// <summary>
/// The <c>remote</c> group: what Arc's remote layers cost over raw gRPC — (a) typed Predict latency through a worker
/// process vs a raw unary call, (a′) the same Predict with the worker token checked and not, (b) job batch streaming
/// vs raw server streaming, (c) a training epoch through a worker process vs in process, (d) failing calls vs a
/// successful one. Each case prints its ratio (or difference) and the target it is held to.
/// </summary>
public static class RemoteGroup
{
    /// <summary>Runs the cases in order.</summary>
    public static void Run(BenchOptions options)
    {
        Console.WriteLine($"remote: Arc's remote path vs raw Grpc.Net and in-process ({Environment.ProcessorCount} cores; worker processes share them)");
        // Worker processes log to stderr; the bench output stays on stdout.
        PredictLatency.RunAsync(options).GetAwaiter().GetResult();
        TokenCost.RunAsync(options).GetAwaiter().GetResult();
        JobStreaming.RunAsync(options).GetAwaiter().GetResult();
        MnistEpoch.RunAsync(options).GetAwaiter().GetResult();
        FailingCalls.RunAsync(options).GetAwaiter().GetResult();
    }
}
