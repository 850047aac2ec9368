using System.Diagnostics;
using Grpc.Core;

namespace Arc.Testing.Fuzz;

/// <summary>What fuzzing one endpoint found: how many frames of each kind, how they were answered, and every wrong answer.</summary>
internal sealed class EndpointReport(string endpoint, int frames)
{
    /// <summary>The most failures kept with their frames; the count goes on.</summary>
    public const int KeptFailures = 10;

    private readonly int[] _byMutation = new int[Enum.GetValues<Mutation>().Length];
    private readonly List<string> _failures = [];
    private int _malformed, _ok, _refused, _failed;

    public string Endpoint { get; } = endpoint;

    public int Frames { get; } = frames;

    public TimeSpan Elapsed { get; set; }

    /// <summary>The worker's resident memory right after this endpoint's frames (it serves them all; shows whether growth levels off).</summary>
    public WorkerMemory MemoryAfter { get; set; }

    /// <summary>Frames refused as malformed (InvalidArgument naming the message), as the local decode said they must be.</summary>
    public int Malformed => _malformed;

    /// <summary>Frames that decoded and were answered OK with the predicted reply.</summary>
    public int Ok => _ok;

    /// <summary>Frames that decoded and were refused by the served code as predicted (unknown pod, a digest that does not match, ...).</summary>
    public int Refused => _refused;

    /// <summary>Frames answered otherwise than predicted, or not answered.</summary>
    public int Failed => _failed;

    public IReadOnlyList<string> Failures { get { lock (_failures) return _failures.ToArray(); } }

    public int CountOf(Mutation kind) => Volatile.Read(ref _byMutation[(int)kind]);

    public double FramesPerSecond => Frames / Elapsed.TotalSeconds;

    internal void Record(Mutation kind, Expected expected, string? failure, Func<string> describe)
    {
        Interlocked.Increment(ref _byMutation[(int)kind]);
        if (failure is not null)
        {
            Interlocked.Increment(ref _failed);
            lock (_failures)
                if (_failures.Count < KeptFailures) _failures.Add($"{describe()}: {failure}");
            return;
        }
        if (expected is Expected.Malformed) Interlocked.Increment(ref _malformed);
        else if (expected is Expected.Ok) Interlocked.Increment(ref _ok);
        else Interlocked.Increment(ref _refused);
    }
}

/// <summary>
/// Sends mutated frames to one endpoint of a live worker, many calls in flight at once, and judges every answer against
/// the endpoint's oracle. Frame <c>i</c> is made from <c>new Random(seed, i)</c> alone, so any failure is reproduced
/// from the seed and index it reports, whatever the order the calls ran in.
/// </summary>
internal static class LiveFuzzer
{
    /// <summary>Far above any answer's time: a call still open after it means the worker hangs, which is a failure.</summary>
    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(60);

    public static async Task<EndpointReport> RunAsync(FuzzWorker worker, FuzzEndpoint endpoint, int frames, int concurrency, int seed,
        CancellationToken cancellationToken)
    {
        var report = new EndpointReport(endpoint.Name, frames);
        int next = -1;
        var clock = Stopwatch.StartNew();
        var lanes = Enumerable.Range(0, Math.Min(concurrency, Math.Max(frames, 1))).Select(_ => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < frames; i = Interlocked.Increment(ref next))
                await SendOneAsync(worker, endpoint, seed, i, report, cancellationToken);
        }, cancellationToken));
        await Task.WhenAll(lanes);
        report.Elapsed = clock.Elapsed;
        return report;
    }

    /// <summary>Sends the endpoint's first valid frame and judges the answer: null when the worker answered it right.</summary>
    public static async Task<string?> CheckValidAsync(FuzzWorker worker, FuzzEndpoint endpoint, CancellationToken cancellationToken)
    {
        byte[] frame = endpoint.Valid[0].Frame;
        return endpoint.Oracle(frame).Judge(await CallAsync(worker, endpoint, frame, cancellationToken)) is { } wrong ? $"{endpoint.Name}, valid frame: {wrong}" : null;
    }

    private static async Task SendOneAsync(FuzzWorker worker, FuzzEndpoint endpoint, int seed, int index, EndpointReport report, CancellationToken cancellationToken)
    {
        var (kind, frame) = FrameMutator.Next(new Random(unchecked(seed * 1_000_003 + index)), endpoint.Valid);
        string Describe() => $"{endpoint.Name} seed {seed} frame {index} ({kind}, {frame.Length} bytes: {Convert.ToHexString(frame.AsSpan(0, Math.Min(48, frame.Length)))})";
        Expected expected;
        try
        {
            expected = endpoint.Oracle(frame);
        }
        catch (Exception e)
        {
            // The local readers themselves threw something other than the marshaller's InvalidArgument: a wire bug.
            report.Record(kind, new Expected.Malformed(""), $"the local decode threw {e.GetType().Name}: {e.Message}", Describe);
            return;
        }
        CallOutcome outcome;
        try
        {
            outcome = await CallAsync(worker, endpoint, frame, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            report.Record(kind, expected, $"the call failed outside gRPC: {e.GetType().Name}: {e.Message}", Describe);
            return;
        }
        report.Record(kind, expected, expected.Judge(outcome), Describe);
    }

    /// <summary>One call of <paramref name="endpoint"/>'s shape carrying <paramref name="frame"/>; its end, whatever the status.</summary>
    public static async Task<CallOutcome> CallAsync(FuzzWorker worker, FuzzEndpoint endpoint, byte[] frame, CancellationToken cancellationToken)
    {
        var options = new CallOptions(deadline: DateTime.UtcNow + CallDeadline, cancellationToken: cancellationToken);
        var replies = new List<byte[]>();
        try
        {
            switch (endpoint.Shape)
            {
                case CallShape.Unary:
                    replies.Add(await worker.Invoker.AsyncUnaryCall(endpoint.Method, null, options, frame));
                    break;
                case CallShape.ServerStreaming:
                {
                    using var call = worker.Invoker.AsyncServerStreamingCall(endpoint.Method, null, options, frame);
                    while (await call.ResponseStream.MoveNext(cancellationToken)) replies.Add(call.ResponseStream.Current);
                    break;
                }
                default:
                    // The stream's messages and its end travel together (WholeRequestCall says why).
                    return await WholeRequestCall.CallAsync(worker.Http, worker.Address, worker.Token, endpoint.Name,
                        [endpoint.Valid[0].Frame, frame, endpoint.Valid[0].Frame], CallDeadline, cancellationToken);
            }
            return new CallOutcome(StatusCode.OK, "", [], replies);
        }
        catch (RpcException e)
        {
            return new CallOutcome(e.StatusCode, e.Status.Detail, e.Trailers, replies);
        }
    }
}
