using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Bench.Remote;

/// <summary>
/// Case (b): throughput of a job's batch stream — <see cref="RemoteJob{X, Y}"/> over a loopback worker streaming
/// 64×1×28×28 float32 batches (sliced from the split, encoded, sent, decoded into Arc data) — against a raw Grpc.Net
/// server-streaming call that sends the same bytes per message, prepared once, and whose client does not decode them.
/// Both servers run in this process (a job cannot be served from a worker process yet).
/// </summary>
public static class JobStreaming
{
    private const int BatchSize = 64;
    private const int BatchesPerPass = 64;

    /// <summary>Runs the case and prints batches/s, MB/s and the ratio.</summary>
    public static async Task RunAsync(BenchOptions options)
    {
        var job = new SyntheticDigits(BatchSize * BatchesPerPass);
        var split = await job.GetSplitAsync(DataSplit.Train);
        byte[] batchBytes = ArcMarshallersBytes.OfBatch(split.Inputs.Slice(0, BatchSize), split.Targets.Slice(0, BatchSize));

        await using var arc = await RemoteJob<ImageData, ClassData>.ServeLoopbackAsync(job);
        await using var raw = await RawGrpcServer.StartAsync(new RawReplies(UnaryReply: [], StreamMessage: batchBytes));
        using var channel = GrpcChannel.ForAddress(raw.Address);
        var invoker = channel.CreateCallInvoker();
        byte[] request = RawGrpcMethods.StreamRequest(BatchesPerPass);

        // Measure's loop is synchronous; blocking this (non-pool) thread on each pass is fine in a console program.
        var gbps = Measure.GigabytesPerSecond(
        [
            () => Check(ArcPassAsync(arc).GetAwaiter().GetResult()),
            () => Check(RawPassAsync(invoker, request).GetAwaiter().GetResult()),
        ], (long)batchBytes.Length * BatchesPerPass, options.CaseDuration);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(b) job stream of {BatchSize}×1×28×28 float32 batches ({batchBytes.Length / 1024.0:0} KiB each), {BatchesPerPass} batches per pass, loopback in this process (higher is better)"));
        Console.WriteLine($"    {"case",-44} {"batches/s",10} {"MB/s",8}");
        string[] names = ["Arc RemoteJob.StreamAsync (loopback worker)", "raw Grpc.Net server streaming byte[]"];
        for (int c = 0; c < names.Length; c++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {names[c],-44} {gbps[c] * 1e9 / batchBytes.Length,10:0} {gbps[c] * 1e3,8:0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    ratio Arc/raw {gbps[0] / gbps[1]:0.00}× (target ≥ 0.70×)"));
    }

    private static void Check(int batches)
    {
        if (batches != BatchesPerPass) throw new InvalidOperationException($"a pass streamed {batches} batches, not {BatchesPerPass}");
    }

    private static async Task<int> ArcPassAsync(RemoteJob<ImageData, ClassData> job)
    {
        int count = 0;
        await foreach (var _ in job.StreamAsync(BatchSize, DataSplit.Train, shuffleSeed: null)) count++;
        return count;
    }

    private static async Task<int> RawPassAsync(CallInvoker invoker, byte[] request)
    {
        int count = 0;
        using var call = invoker.AsyncServerStreamingCall(RawGrpcMethods.Stream, null, default, request);
        while (await call.ResponseStream.MoveNext(CancellationToken.None)) count++;
        return count;
    }
}
