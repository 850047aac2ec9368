using Grpc.Core;
using Arc.Hosting;
using Arc.Remote;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>Cancellation and deadlines reach the model's token on the worker; message limits refuse oversized calls.</summary>
public sealed class CancellationAndLimitTests
{
    private const int Rows = 3, Width = 4;

    [Fact]
    public async Task Cancelling_the_call_cancels_the_models_token_on_the_worker()
    {
        var ct = TestContext.Current.CancellationToken;
        var model = new RowArgmaxModel(Rows) { BlockPredictions = true };
        await using var host = await ArcWorkerHost.StartAsync(model, cancellationToken: ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var (images, _) = RemoteTestData.Images(2, Rows, Width, seed: 1);

        var call = new RemoteModelClient<ImageData, ClassData>(channel).PredictAsync(images, cancellationToken: cancel.Token);
        await model.PredictStarted.Task.WaitAsync(ct);
        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<OperationCanceledException>(() => call);
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.Equal(StatusCode.Cancelled, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        await model.ObservedCancellation.Task.WaitAsync(ct);
    }

    [Fact]
    public async Task A_passed_deadline_cancels_the_models_token_and_the_caller_sees_DeadlineExceeded()
    {
        var ct = TestContext.Current.CancellationToken;
        var model = new RowArgmaxModel(Rows) { BlockPredictions = true };
        await using var host = await ArcWorkerHost.StartAsync(model, cancellationToken: ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var (images, _) = RemoteTestData.Images(2, Rows, Width, seed: 1);

        var error = await Assert.ThrowsAsync<OperationCanceledException>(() => new RemoteModelClient<ImageData, ClassData>(channel)
            .PredictAsync(images, deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct));

        Assert.Equal(StatusCode.DeadlineExceeded, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        // 2 s leaves a loaded machine time to reach the model; a call that expired before reaching it would prove nothing
        // here and would wait forever below, so both waits are bounded and fail with a reason.
        Assert.True(model.PredictStarted.Task.IsCompleted, "the call expired before it reached the model");
        await model.ObservedCancellation.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    [Fact]
    public async Task A_request_over_the_workers_limit_is_refused_with_ResourceExhausted()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new ArcWorkerOptions { MaxReceiveMessageBytes = 64 * 1024 };
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), options, ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteModelClient<ImageData, ClassData>(channel);
        var (large, _) = RemoteTestData.Images(2000, Rows, Width, seed: 9);   // 96 KB of pixels
        var (small, pixels) = RemoteTestData.Images(2, Rows, Width, seed: 9);

        var error = await Assert.ThrowsAsync<ArcRemoteCallException>(() => client.PredictAsync(large, cancellationToken: ct));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(RowArgmaxModel.Expected(pixels, 2, Rows, Width, new float[Rows]),
            (await client.PredictAsync(small, cancellationToken: ct)).IndexSpan.ToArray());
    }

    [Fact]
    public async Task A_request_over_the_clients_limit_is_refused_before_it_is_sent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ArcWorkerHost.StartAsync(new RowArgmaxModel(Rows), cancellationToken: ct);
        using var channel = new ArcChannel(host.Address, new ArcChannelOptions { Token = host.Token, MaxSendMessageBytes = 1024 });
        var (large, _) = RemoteTestData.Images(100, Rows, Width, seed: 9);

        var error = await Assert.ThrowsAsync<ArcRemoteCallException>(
            () => new RemoteModelClient<ImageData, ClassData>(channel).PredictAsync(large, cancellationToken: ct));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }
}
