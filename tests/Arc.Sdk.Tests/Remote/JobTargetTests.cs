using Arc.Sdk.Tests.Support;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Remote;

/// <summary><c>Target.DeployAsync</c> of a job from a factory: in process and on a loopback worker.</summary>
public sealed class JobTargetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InProcess_deploys_the_job_object_itself_and_disposing_disposes_it()
    {
        DisposableJob? created = null;
        var deployed = await Target.InProcess.DeployAsync<ImageData, ClassData>(() => created = new DisposableJob(7), Ct);

        Assert.Same(created, Assert.IsType<InProcessJob<ImageData, ClassData>>(deployed).Job);
        Assert.Equal(TestData.Ids(TestData.Numbered(7).Inputs), TestData.Ids((await deployed.SampleAsync(7, DataSplit.Train, seed: null, Ct)).Inputs).Order());
        Assert.Equal(0, created!.Disposals);

        await deployed.DisposeAsync();
        await deployed.DisposeAsync();
        Assert.Equal(1, created.Disposals);
    }

    [Fact]
    public async Task LoopbackWorker_streams_the_jobs_batches_over_grpc_and_disposing_stops_it_then_disposes_the_job()
    {
        DisposableJob? created = null;
        var deployed = await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => created = new DisposableJob(10), Ct);
        var remote = Assert.IsType<RemoteJob<ImageData, ClassData>>(deployed);

        var ids = new List<int>();
        await foreach (var batch in deployed.StreamAsync(batchSize: 4, DataSplit.Train, shuffleSeed: null, Ct))
            ids.AddRange(TestData.Ids(batch.Inputs));
        Assert.Equal(Enumerable.Range(0, 10), ids);

        await deployed.DisposeAsync();
        Assert.Equal(1, created!.Disposals);
        await Assert.ThrowsAsync<ArcWorkerUnavailableException>(async () => await RemoteJob<ImageData, ClassData>.ConnectAsync(remote.Address, ArcWorkerToken.Generate(), Ct));
    }

    [Fact]
    public async Task A_job_factory_that_returns_null_is_reported()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await Target.LoopbackWorker.DeployAsync<ImageData, ClassData>(() => (ISupervisedJob<ImageData, ClassData>)null!, Ct));
        Assert.Contains("job factory returned null", e.Message);
    }

    /// <summary>The numbered test batches, counting how often it is disposed.</summary>
    private sealed class DisposableJob(int count) : SupervisedJob<ImageData, ClassData>, IAsyncDisposable
    {
        private int _disposals;

        public int Disposals => _disposals;

        protected override ValueTask<Batch<ImageData, ClassData>> LoadSplitAsync(DataSplit split, CancellationToken cancellationToken)
            => ValueTask.FromResult(TestData.Numbered(count));

        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref _disposals);
            return ValueTask.CompletedTask;
        }
    }
}
