using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Arc.Sdk.Tests.Support;
using Arc.Sdk.Tests.Torch;
using Grpc.Core;
using MessagePack;
using TorchSharp;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// Pipelined fitting (<c>/arc.Model/FitStream</c> behind <see cref="ISupervisedModel{X, Y}.FitBatchesAsync"/>): the
/// same results as unary fits, and the same error model — model exceptions, malformed frames, cancellation, a dying worker.
/// </summary>
public sealed class FitStreamTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Only a guard against a hang: nothing here is expected to take long.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);
    private static readonly Method<byte[], byte[]> RawFitStream = new(MethodType.DuplexStreaming, ArcModelMethods.ServiceName, "FitStream", Raw, Raw);

    [Fact]
    public async Task Streamed_fits_give_the_losses_and_weights_of_unary_fits_bit_for_bit()
    {
        var job = new DigitsJob(mnist.Data);
        torch.manual_seed(21);
        using var initial = new MemoryStream();
        using (var seed = new TinyMlp()) seed.SaveWeights(initial);
        await using var unary = await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => new TinyMlp(), Ct);
        await using var streamed = await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => new TinyMlp(), Ct);
        foreach (var model in new[] { unary, streamed })
        {
            initial.Position = 0;
            await model.LoadWeightsAsync(initial, Ct);
        }

        var unaryResults = new List<FitResult>();
        await foreach (var (x, y) in job.StreamAsync(batchSize: 64, shuffleSeed: 4, cancellationToken: Ct))
            unaryResults.Add(await unary.FitAsync(x, y, Ct));
        var streamedResults = new List<FitResult>();
        await foreach (var result in streamed.FitBatchesAsync(job.StreamAsync(batchSize: 64, shuffleSeed: 4, cancellationToken: Ct), Ct))
            streamedResults.Add(result);

        Assert.Equal(13, streamedResults.Count); // 800 digits in batches of 64
        Assert.Equal(unaryResults.Select(r => (r.Loss, r.Samples)), streamedResults.Select(r => (r.Loss, r.Samples)));
        Assert.True(streamedResults[^1].Loss < streamedResults[0].Loss * 0.7, $"the loss did not fall: {string.Join(", ", streamedResults.Select(r => r.Loss))}");
        Assert.Equal(await ModelWeights.Of(unary), await ModelWeights.Of(streamed));
    }

    [Fact]
    public async Task A_model_exception_mid_stream_ends_the_stream_with_the_remote_error_and_the_worker_keeps_serving()
    {
        var broken = new ScriptedModel("broken", 10) { FailOnFit = 3 };
        await using var remote = await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => broken, Ct);
        var results = new List<FitResult>();

        var e = await Assert.ThrowsAsync<ArcRemoteException>(async () =>
        {
            await foreach (var result in remote.FitBatchesAsync(InMemoryJob.Numbered(train: 10).StreamAsync(2, cancellationToken: Ct), Ct))
                results.Add(result);
        });

        Assert.Equal([2, 2], results.Select(r => r.Samples));
        Assert.Equal("System.InvalidOperationException", e.RemoteType);
        Assert.Equal("model broken breaks on purpose", e.RemoteMessage);
        Assert.Equal("/arc.Model/FitStreamShared", e.Method); // a loopback worker takes batches through shared files
        Assert.Equal(2, broken.FittedBatches.Count); // batches sent ahead of the failure were not fitted
        var predicted = await remote.PredictAsync(TestData.Numbered(4).Inputs, Ct);
        Assert.Equal(4, predicted.Count);
    }

    [Fact]
    public async Task An_exception_from_the_batches_themselves_is_rethrown_as_it_is()
    {
        var model = new ScriptedModel("m", 10);
        await using var remote = await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => model, Ct);
        var failure = new InvalidDataException("the batch source broke");
        int results = 0;

        var e = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in remote.FitBatchesAsync(FailAfter(InMemoryJob.Numbered(train: 10).StreamAsync(2, cancellationToken: Ct), 2, failure, Ct), Ct))
                results++;
        });

        Assert.Same(failure, e);
        Assert.InRange(results, 0, 2);
        Assert.Equal(4, (await remote.FitAsync(TestData.Numbered(4).Inputs, TestData.Numbered(4).Targets, Ct)).Samples);
    }

    [Fact]
    public async Task A_malformed_frame_ends_the_stream_with_invalid_argument_after_the_good_ones_and_the_worker_keeps_serving()
    {
        var model = new ScriptedModel("m", 10);
        await using var server = await ArcWorkerHost.StartAsync(WorkerServices.Model(model), cancellationToken: Ct);
        await using var remote = await RemoteModel<ImageData, ClassData>.ConnectAsync(server.Address, server.ClientOptions, Ct);
        using var channel = new ArcChannel(server.Address, server.ClientOptions);
        var batch = TestData.Numbered(3);

        using (var call = channel.CallInvoker.AsyncDuplexStreamingCall(RawFitStream, null, new CallOptions(cancellationToken: Ct)))
        {
            await call.RequestStream.WriteAsync(FitFrame(batch.Inputs, batch.Targets), Ct);
            Assert.True(await call.ResponseStream.MoveNext(Ct));
            var reply = MessagePackSerializer.Deserialize<Dictionary<string, object>>(call.ResponseStream.Current, cancellationToken: Ct);
            Assert.Equal(3, Convert.ToInt32(reply["samples"]));

            await call.RequestStream.WriteAsync([0x82, 0xA1, 0x78, 0xC1], Ct); // a map whose first value is the never-used byte 0xC1
            var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Ct).WaitAsync(HangGuard, Ct));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.StartsWith("malformed 'fit request' (4 bytes, stopped at byte ", e.Status.Detail);
        }

        Assert.Single(model.FittedBatches);
        var results = await remote.FitBatchesAsync(InMemoryJob.Numbered(train: 4).StreamAsync(2, cancellationToken: Ct), Ct).ToListAsync(Ct);
        Assert.Equal([2, 2], results.Select(r => r.Samples));
        Assert.Equal(3, model.FittedBatches.Count);
    }

    [Fact]
    public async Task Cancelling_the_stream_cancels_the_fit_running_on_the_worker()
    {
        var model = new WaitingModel();
        await using var remote = await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => model, Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var fitting = remote.FitBatchesAsync(InMemoryJob.Numbered(train: 10).StreamAsync(2, cancellationToken: cts.Token), cts.Token).ToListAsync(cts.Token).AsTask();
        await model.Started.Task.WaitAsync(HangGuard, Ct);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fitting.WaitAsync(HangGuard, Ct));
        await model.Cancelled.Task.WaitAsync(HangGuard, Ct); // the handler's token fired
    }

    [Fact]
    public async Task A_worker_process_killed_mid_stream_fails_the_stream_with_an_error_naming_it()
    {
        var registration = Assert.IsType<ModelRegistration<WorkerMlp, WorkerMlp.Hyperparameters, ImageData, ClassData>>(ArcRegistry.FindModel("workermlp"));
        await using var remote = await registration.DeployAsync(Target.LocalProcess, new WorkerMlp.Hyperparameters(), Ct);
        int pid = Assert.IsType<LocalProcessModel<ImageData, ClassData>>(remote).ProcessId;
        var feed = Channel.CreateUnbounded<Batch<ImageData, ClassData>>();
        var images = RemoteTestData.Images(4, 4, 4, seed: 9).Images;
        var labels = new ClassData([0, 1, 2, 0], WorkerMlp.Classes);
        await using var results = remote.FitBatchesAsync(feed.Reader.ReadAllAsync(Ct), Ct).GetAsyncEnumerator(Ct);

        for (int i = 0; i < 2; i++)
        {
            await feed.Writer.WriteAsync(new(images, labels), Ct);
            Assert.True(await results.MoveNextAsync().AsTask().WaitAsync(HangGuard, Ct));
            Assert.Equal(4, results.Current.Samples);
        }
        using (var child = Process.GetProcessById(pid))
        {
            child.Kill();
            await child.WaitForExitAsync(Ct);
        }
        await feed.Writer.WriteAsync(new(images, labels), Ct);

        var e = await Assert.ThrowsAsync<ArcWorkerExitedException>(() => results.MoveNextAsync().AsTask().WaitAsync(HangGuard, Ct));
        Assert.Equal(pid, e.ProcessId);
        Assert.Contains("during FitStream", e.Message);
    }

    [Fact]
    public async Task A_local_model_fits_the_batches_one_by_one_through_the_default()
    {
        var model = new ScriptedModel("m", 10);
        var results = await model.AsSupervised().FitBatchesAsync(InMemoryJob.Numbered(train: 10).StreamAsync(4, cancellationToken: Ct), Ct).ToListAsync(Ct);

        Assert.Equal([4, 4, 2], results.Select(r => r.Samples));
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]], model.FittedBatches);
    }

    private static async IAsyncEnumerable<T> FailAfter<T>(IAsyncEnumerable<T> items, int count, Exception failure,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in items.WithCancellation(cancellationToken))
        {
            if (count-- == 0) throw failure;
            yield return item;
        }
    }

    private static byte[] FitFrame(ImageData x, ClassData y)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(2);
        writer.Write("x");
        ImageData.WriteWire(ref writer, x);
        writer.Write("y");
        ClassData.WriteWire(ref writer, y);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}

internal static class SupervisedModelExtensions
{
    /// <summary>The model seen through its interface, where default interface methods live.</summary>
    public static ISupervisedModel<X, Y> AsSupervised<X, Y>(this ISupervisedModel<X, Y> model) where X : IArcData<X> where Y : IArcData<Y> => model;
}
