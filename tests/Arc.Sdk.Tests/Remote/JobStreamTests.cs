using System.Buffers;
using System.Runtime.CompilerServices;
using Arc.Sdk.Tests.Support;
using Grpc.Core;
using MessagePack;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A real job served over <c>arc.Job</c> by a loopback worker (Kestrel, gRPC, the wire form): what a client streams,
/// samples and evaluates must be exactly what the local job gives.
/// </summary>
public sealed class JobStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly long[] Answers = [0, 1, 1, 0, 0, 2, 2, 1, 2, 2];

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);

    /// <summary>One batch in the wire form; equal bytes mean equal dtype, shape, values and class names.</summary>
    private static byte[] WireBytes(Batch<ImageData, ClassData> batch)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        ImageData.WriteWire(ref writer, batch.Inputs);
        ClassData.WriteWire(ref writer, batch.Targets);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static async Task<List<byte[]>> CollectAsync(IAsyncEnumerable<Batch<ImageData, ClassData>> batches)
    {
        var all = new List<byte[]>();
        await foreach (var batch in batches) all.Add(WireBytes(batch));
        return all;
    }

    [Theory]
    [InlineData(4, null)]   // 23 = 4·5 + 3: the last batch is partial
    [InlineData(4, 7)]
    [InlineData(23, 11)]
    [InlineData(100, null)] // one batch larger than the split
    public async Task Streamed_batches_are_byte_identical_to_local_streaming(int batchSize, int? seed)
    {
        var job = InMemoryJob.Numbered(train: 23);
        await using var remote = await RemoteJob<ImageData, ClassData>.ServeLoopbackAsync(job, Ct);

        var local = await CollectAsync(job.StreamAsync(batchSize, DataSplit.Train, seed, Ct));
        var streamed = await CollectAsync(remote.StreamAsync(batchSize, DataSplit.Train, seed, Ct));

        Assert.Equal((23 + batchSize - 1) / batchSize, streamed.Count);
        Assert.Equal(local, streamed);
    }

    [Fact]
    public async Task Sample_with_a_seed_is_identical_to_the_local_sample()
    {
        var job = InMemoryJob.Numbered(train: 30);
        await using var remote = await RemoteJob<ImageData, ClassData>.ServeLoopbackAsync(job, Ct);

        var local = await job.SampleAsync(9, DataSplit.Train, seed: 5, Ct);
        var sampled = await remote.SampleAsync(9, DataSplit.Train, seed: 5, Ct);

        Assert.Equal(9, sampled.Inputs.Count);
        Assert.Equal(WireBytes(local), WireBytes(sampled));
        Assert.Equal(job.Name, remote.Name);
    }

    [Fact]
    public async Task Evaluate_through_the_remote_job_gives_the_local_report()
    {
        var job = InMemoryJob.Numbered(test: 10);
        await using var remote = await RemoteJob<ImageData, ClassData>.ServeLoopbackAsync(job, Ct);

        var local = await job.EvaluateAsync(new TableModel(Answers, TestData.ThreeClasses), DataSplit.Test, 3, Ct);
        var report = await remote.EvaluateAsync(new TableModel(Answers, TestData.ThreeClasses), DataSplit.Test, 3, Ct);

        Assert.Equal(job.Name, report.Job);
        Assert.Equal(local.Model, report.Model);
        Assert.Equal(local.Split, report.Split);
        Assert.Equal(10, report.Samples);
        Assert.Equal(local.Metrics, report.Metrics);
        Assert.Equal(Assert.IsType<ClassificationMetrics>(local.Detail).ConfusionMatrix(),
            Assert.IsType<ClassificationMetrics>(report.Detail).ConfusionMatrix());
    }

    [Fact]
    public async Task Cancelling_mid_stream_cancels_the_handlers_enumeration()
    {
        var handler = new StallingHandler(new SupervisedJobHandler<ImageData, ClassData>(InMemoryJob.Numbered(train: 12)));
        await using var host = await ArcWorkerHost.StartJobAsync(handler, cancellationToken: Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteJobClient<ImageData, ClassData>(channel);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        int received = 0;
        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var batch in client.StreamAsync(4, JobSplits.Train, cancellationToken: stop.Token))
            {
                received++;
                stop.Cancel(); // the handler now waits for its next batch; only the call's cancellation ends that
            }
        });

        Assert.Equal(1, received);
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        await handler.Cancelled.Task.WaitAsync(Ct);

        // The worker keeps serving.
        Assert.Equal(12, (await client.SampleAsync(12, JobSplits.Train, seed: 1, cancellationToken: Ct)).Inputs.Count);
    }

    [Fact]
    public async Task Leaving_the_stream_early_cancels_the_handlers_enumeration()
    {
        var handler = new StallingHandler(new SupervisedJobHandler<ImageData, ClassData>(InMemoryJob.Numbered(train: 12)));
        await using var host = await ArcWorkerHost.StartJobAsync(handler, cancellationToken: Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteJobClient<ImageData, ClassData>(channel);

        await foreach (var batch in client.StreamAsync(4, JobSplits.Train, cancellationToken: Ct))
            break;

        await handler.Cancelled.Task.WaitAsync(Ct);
    }

    [Theory]
    [InlineData("Stream", new byte[] { 0x83, 0xAA, (byte)'b', (byte)'a', (byte)'t', (byte)'c', (byte)'h', (byte)'_', (byte)'s', (byte)'i', (byte)'z', (byte)'e', 0x00, 0xA5, (byte)'s', (byte)'p', (byte)'l', (byte)'i', (byte)'t', 0xA4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0xAC, (byte)'s', (byte)'h', (byte)'u', (byte)'f', (byte)'f', (byte)'l', (byte)'e', (byte)'_', (byte)'s', (byte)'e', (byte)'e', (byte)'d', 0xC0 }, "batch_size: 0 is outside 1..2147483647")]
    [InlineData("Stream", new byte[] { 0x82, 0xAA, (byte)'b', (byte)'a', (byte)'t', (byte)'c', (byte)'h', (byte)'_', (byte)'s', (byte)'i', (byte)'z', (byte)'e', 0x04, 0xA5, (byte)'s', (byte)'p', (byte)'l', (byte)'i', (byte)'t', 0xA3, (byte)'d', (byte)'e', (byte)'v' }, "split: unknown split 'dev'")]
    [InlineData("Stream", new byte[] { 0x83, 0xAA, (byte)'b' }, "the map header claims 3 entries but only 2 bytes remain")]
    [InlineData("Sample", new byte[] { 0x82, 0xA5, (byte)'c', (byte)'o', (byte)'u', (byte)'n', (byte)'t', 0xFF, 0xA5, (byte)'s', (byte)'p', (byte)'l', (byte)'i', (byte)'t', 0xA5, (byte)'t', (byte)'r', (byte)'a', (byte)'i', (byte)'n' }, "count: -1 is outside 0..2147483647")]
    [InlineData("Sample", new byte[] { 0x81, 0xA5, (byte)'c', (byte)'o', (byte)'u', (byte)'n', (byte)'t', 0x01 }, "the required key 'split' is missing")]
    public async Task Bad_requests_get_InvalidArgument_and_the_worker_keeps_serving(string method, byte[] request, string expected)
    {
        var job = InMemoryJob.Numbered(train: 6, test: 6);
        await using var host = await ArcWorkerHost.StartJobAsync(new SupervisedJobHandler<ImageData, ClassData>(job), cancellationToken: Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var options = new CallOptions(cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            if (method == "Stream")
            {
                using var call = channel.CallInvoker.AsyncServerStreamingCall(
                    new Method<byte[], byte[]>(MethodType.ServerStreaming, "arc.Job", method, Raw, Raw), null, options, request);
                while (await call.ResponseStream.MoveNext(Ct)) { }
            }
            else
            {
                await channel.CallInvoker.AsyncUnaryCall(new Method<byte[], byte[]>(MethodType.Unary, "arc.Job", method, Raw, Raw), null, options, request);
            }
        });
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail);

        var client = new RemoteJobClient<ImageData, ClassData>(channel);
        int samples = 0;
        await foreach (var batch in client.StreamAsync(4, JobSplits.Test, cancellationToken: Ct)) samples += batch.Inputs.Count;
        Assert.Equal(6, samples);
    }

    [Fact]
    public async Task The_jobs_own_exceptions_reach_the_caller_with_their_type_and_argument_errors_as_themselves()
    {
        var job = InMemoryJob.Numbered(train: 6, test: 6); // no validation split
        await using var remote = await RemoteJob<ImageData, ClassData>.ServeLoopbackAsync(job, Ct);

        var missing = await Assert.ThrowsAsync<ArcRemoteException>(async () =>
        {
            await foreach (var batch in remote.StreamAsync(2, DataSplit.Validation, cancellationToken: Ct)) { }
        });
        Assert.Equal(typeof(NotSupportedException).FullName, missing.RemoteType);
        Assert.Contains("no Validation split", missing.RemoteMessage);

        // An argument error is the job's own exception, with the text it has here (docs/errors.md).
        var here = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await job.SampleAsync(7, DataSplit.Train, seed: 1, Ct));
        var tooMany = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await remote.SampleAsync(7, DataSplit.Train, seed: 1, Ct));
        Assert.Equal(here.Message, tooMany.Message);
        Assert.Equal("count", tooMany.ParamName);
        Assert.Equal("7", tooMany.ActualValue?.ToString());
        Assert.Equal(6, (await remote.SampleAsync(6, DataSplit.Train, seed: 1, Ct)).Inputs.Count);
    }

    [Fact]
    public async Task Connecting_checks_the_jobs_types()
    {
        var job = InMemoryJob.Numbered();
        await using var host = await ArcWorkerHost.StartJobAsync(new SupervisedJobHandler<ImageData, ClassData>(job), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RemoteJob<ClassData, ClassData>.ConnectAsync(host.Address, host.Token, Ct));
        Assert.Contains("'image'", error.Message);
        await using var connected = await RemoteJob<ImageData, ClassData>.ConnectAsync(host.Address, host.Token, Ct);
        Assert.Equal(job.Name, connected.Name);
    }

    /// <summary>Yields the first batch of its inner handler, then waits for a next batch that only cancellation ends.</summary>
    private sealed class StallingHandler(IRemoteJobHandler<ImageData, ClassData> inner) : IRemoteJobHandler<ImageData, ClassData>
    {
        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public JobDescription Describe() => inner.Describe();

        public async IAsyncEnumerable<(ImageData Inputs, ClassData Targets)> StreamAsync(int batchSize, string split, int? shuffleSeed,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var registration = cancellationToken.Register(() => Cancelled.TrySetResult());
            await foreach (var batch in inner.StreamAsync(batchSize, split, shuffleSeed, cancellationToken))
            {
                yield return batch;
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }

        public ValueTask<(ImageData Inputs, ClassData Targets)> SampleAsync(int count, string split, int? seed, CancellationToken cancellationToken)
            => inner.SampleAsync(count, split, seed, cancellationToken);
    }
}
