using System.Diagnostics;
using Grpc.Core;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary>
/// A worker that sat idle keeps serving and keeps its limits. The host's call queue is a partitioned rate limiter,
/// which throws away a limiter that has been idle for about ten seconds and asks for a new one; a host that handed
/// back one captured limiter answered every call after an idle spell with HTTP 500 (found under a 20,000-connection
/// flood, where the owner's channel waited that long).
/// </summary>
public sealed class IdleWorkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The partitioned limiter's idle limit is 10 s, checked on a 100 ms timer.
    private static readonly TimeSpan LongerThanTheIdleLimit = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task After_an_idle_spell_calls_succeed_and_the_queue_still_refuses_the_excess()
    {
        var model = new WaitingModel();
        var options = new ArcWorkerOptions { MaxConcurrentCalls = 1, MaxQueuedCalls = 0 };
        await using var host = await ArcWorkerHost.StartAsync(new SupervisedModelHandler<ImageData, ClassData>(model, ownsModel: true), options, Ct);
        using var channel = new ArcChannel(host.Address, host.ClientOptions);
        var client = new RemoteModelClient<ImageData, ClassData>(channel);
        var (images, _) = RemoteTestData.Images(1, 2, 3, seed: 1);
        model.Release = true;
        await client.PredictAsync(images, cancellationToken: Ct);

        await Task.Delay(LongerThanTheIdleLimit, Ct);

        Assert.Single((await client.PredictAsync(images, cancellationToken: Ct)).IndexSpan.ToArray());

        // The new limiter has the same limits: one call running, none waiting, the next one refused at once.
        model.Release = false;
        using var running = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var blocked = client.PredictAsync(images, cancellationToken: running.Token);
        await model.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var refusedIn = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ArcRemoteCallException>(() => client.PredictAsync(images, cancellationToken: Ct));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.True(refusedIn.Elapsed < TimeSpan.FromSeconds(5), $"the refusal took {refusedIn.Elapsed.TotalMilliseconds:0} ms");
        running.Cancel();
        await Assert.ThrowsAnyAsync<Exception>(() => blocked);
    }
}
