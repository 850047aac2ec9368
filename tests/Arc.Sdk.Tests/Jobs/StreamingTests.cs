using Arc.Sdk.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Jobs;

public sealed class StreamingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<Batch<ImageData, ClassData>>> AllAsync(IAsyncEnumerable<Batch<ImageData, ClassData>> stream)
    {
        var batches = new List<Batch<ImageData, ClassData>>();
        await foreach (var batch in stream) batches.Add(batch);
        return batches;
    }

    [Theory]
    [InlineData(10, 4, new[] { 4, 4, 2 })]
    [InlineData(10, 5, new[] { 5, 5 })]
    [InlineData(10, 1, new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 })]
    [InlineData(10, 64, new[] { 10 })]
    [InlineData(0, 4, new int[0])]
    public async Task Batches_have_the_requested_size_and_the_last_one_holds_the_rest(int n, int batchSize, int[] sizes)
    {
        var job = InMemoryJob.Numbered(train: n);
        var batches = await AllAsync(job.StreamAsync(batchSize, DataSplit.Train, cancellationToken: Ct));
        Assert.Equal(sizes, batches.Select(b => b.Inputs.Count));
        Assert.Equal(sizes, batches.Select(b => b.Targets.Count));
    }

    [Fact]
    public async Task Without_a_seed_the_stored_order_is_kept_and_inputs_stay_paired_with_targets()
    {
        var batches = await AllAsync(InMemoryJob.Numbered(train: 10).StreamAsync(4, cancellationToken: Ct));
        var ids = batches.SelectMany(b => TestData.Ids(b.Inputs)).ToArray();
        Assert.Equal(Enumerable.Range(0, 10), ids);
        Assert.Equal(ids.Select(i => (long)(i % 3)), batches.SelectMany(b => b.Targets.IndexSpan.ToArray()));
    }

    [Fact]
    public async Task A_shuffle_is_a_permutation_that_keeps_pairs_and_depends_only_on_the_seed()
    {
        var job = InMemoryJob.Numbered(train: 50);
        async Task<int[]> OrderAsync(int seed)
        {
            var batches = await AllAsync(job.StreamAsync(7, DataSplit.Train, seed, Ct));
            foreach (var (x, y) in batches)
                Assert.Equal(TestData.Ids(x).Select(i => (long)(i % 3)), y.IndexSpan.ToArray());
            return batches.SelectMany(b => TestData.Ids(b.Inputs)).ToArray();
        }

        var first = await OrderAsync(seed: 42);
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), first);
        Assert.Equal(first, await OrderAsync(seed: 42));
        Assert.Equal(first, await OrderAsync(seed: 42)); // and again, from a second enumeration of the cached split
        Assert.NotEqual(first, await OrderAsync(seed: 43));
    }

    [Fact]
    public async Task Cancelling_stops_the_stream()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var job = InMemoryJob.Numbered(train: 10);
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in job.StreamAsync(2, cancellationToken: cancel.Token))
            {
                seen++;
                cancel.Cancel();
            }
        });
        Assert.Equal(1, seen);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AllAsync(job.StreamAsync(2, cancellationToken: new CancellationToken(canceled: true))));
    }

    [Fact]
    public async Task Each_split_is_loaded_once()
    {
        var job = InMemoryJob.Numbered();
        await AllAsync(job.StreamAsync(3, DataSplit.Train, cancellationToken: Ct));
        await AllAsync(job.StreamAsync(4, DataSplit.Train, shuffleSeed: 1, cancellationToken: Ct));
        await job.SampleAsync(2, DataSplit.Train, cancellationToken: Ct);
        Assert.Equal(1, job.Loads);
        await AllAsync(job.StreamAsync(3, DataSplit.Test, cancellationToken: Ct));
        Assert.Equal(2, job.Loads);
    }

    [Fact]
    public async Task Concurrent_readers_share_one_load()
    {
        var job = InMemoryJob.Numbered();
        var reads = Enumerable.Range(0, 8).Select(_ => job.GetSplitAsync(DataSplit.Train, Ct)).ToArray();
        var splits = await Task.WhenAll(reads);
        Assert.Equal(1, job.Loads);
        Assert.All(splits, s => Assert.Same(splits[0].Inputs, s.Inputs));
    }

    [Fact]
    public async Task A_failed_load_is_retried_on_the_next_call()
    {
        var job = InMemoryJob.Numbered();
        job.FailFirstLoads = 1;
        var e = await Assert.ThrowsAsync<IOException>(() => AllAsync(job.StreamAsync(3, cancellationToken: Ct)));
        Assert.Contains("on purpose", e.Message);
        Assert.Equal(4, (await AllAsync(job.StreamAsync(3, cancellationToken: Ct))).Count);
        Assert.Equal(2, job.Loads);
    }

    [Fact]
    public async Task A_split_whose_inputs_and_targets_differ_in_length_is_rejected()
    {
        var good = TestData.Numbered(5);
        var job = new InMemoryJob<ImageData, ClassData>(new Dictionary<DataSplit, Batch<ImageData, ClassData>>
        {
            [DataSplit.Train] = new(good.Inputs, good.Targets.Slice(0, 4)),
        });
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => AllAsync(job.StreamAsync(2, cancellationToken: Ct)));
        Assert.Contains("5 inputs but 4 targets", e.Message);
    }

    [Fact]
    public async Task A_batch_size_below_one_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => AllAsync(InMemoryJob.Numbered().StreamAsync(0, cancellationToken: Ct)));
    }

    [Fact]
    public async Task A_missing_split_surfaces_the_jobs_error()
    {
        var e = await Assert.ThrowsAsync<NotSupportedException>(() => AllAsync(InMemoryJob.Numbered().StreamAsync(2, DataSplit.Validation, cancellationToken: Ct)));
        Assert.Contains("Validation", e.Message);
    }
}
