using Arc.Sdk.Tests.Support;

namespace Arc.Sdk.Tests.Jobs;

public sealed class SamplingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sample_holds_distinct_samples_with_their_own_targets()
    {
        var (x, y) = await InMemoryJob.Numbered(train: 30).SampleAsync(12, seed: 5, cancellationToken: Ct);
        var ids = TestData.Ids(x);
        Assert.Equal(12, ids.Length);
        Assert.Equal(12, ids.Distinct().Count());
        Assert.All(ids, i => Assert.InRange(i, 0, 29));
        Assert.Equal(ids.Select(i => (long)(i % 3)), y.IndexSpan.ToArray());
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_sample()
    {
        var job = InMemoryJob.Numbered(train: 30);
        var first = TestData.Ids((await job.SampleAsync(10, seed: 9, cancellationToken: Ct)).Inputs);
        Assert.Equal(first, TestData.Ids((await job.SampleAsync(10, seed: 9, cancellationToken: Ct)).Inputs));
        Assert.NotEqual(first, TestData.Ids((await job.SampleAsync(10, seed: 10, cancellationToken: Ct)).Inputs));
    }

    [Fact]
    public async Task Sampling_everything_is_a_permutation_and_nothing_is_empty()
    {
        var job = InMemoryJob.Numbered(train: 10);
        Assert.Equal(Enumerable.Range(0, 10), TestData.Ids((await job.SampleAsync(10, seed: 1, cancellationToken: Ct)).Inputs).Order());
        Assert.Equal(0, (await job.SampleAsync(0, cancellationToken: Ct)).Inputs.Count);
    }

    [Fact]
    public async Task Impossible_counts_are_rejected_with_the_split_size()
    {
        var job = InMemoryJob.Numbered(train: 10);
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await job.SampleAsync(11, cancellationToken: Ct));
        Assert.Contains("only 10 samples", e.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await job.SampleAsync(-1, cancellationToken: Ct));
    }
}
