using Arc.Sdk.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Jobs;

/// <summary>
/// A job that gives split sources is streamed, sampled, trained and evaluated through them, batch by batch, never
/// loading a split whole, and in exactly the order the same data held in memory would give.
/// </summary>
public sealed class SplitSourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SourceJob NewJob() => new(TestData.Numbered(23), TestData.Numbered(10));

    private static async Task<int[]> IdsAsync(IAsyncEnumerable<Batch<ImageData, ClassData>> stream)
    {
        var ids = new List<int>();
        await foreach (var (x, y) in stream)
        {
            Assert.Equal(TestData.Ids(x).Select(i => (long)(i % 3)), y.IndexSpan.ToArray());
            ids.AddRange(TestData.Ids(x));
        }
        return ids.ToArray();
    }

    [Theory]
    [InlineData(null)]
    [InlineData(5)]
    public async Task Streams_read_batch_by_batch_in_the_order_an_in_memory_job_gives(int? seed)
    {
        var job = NewJob();
        var fromSource = await IdsAsync(job.StreamAsync(4, DataSplit.Train, seed, Ct));
        var inMemory = await IdsAsync(InMemoryJob.Numbered(train: 23).StreamAsync(4, DataSplit.Train, seed, Ct));

        Assert.Equal(inMemory, fromSource);
        Assert.Equal(6, job.Reads);
        Assert.Equal(4, job.LargestRead);
    }

    [Fact]
    public async Task Samples_train_and_evaluate_go_through_the_source()
    {
        var job = NewJob();
        var (x, _) = await job.SampleAsync(7, DataSplit.Train, seed: 3, Ct);
        var (memoryX, _) = await InMemoryJob.Numbered(train: 23).SampleAsync(7, DataSplit.Train, seed: 3, Ct);
        Assert.Equal(TestData.Ids(memoryX), TestData.Ids(x));

        var model = new TableModel(new long[23], TestData.ThreeClasses);
        var summary = await job.TrainAsync(model, new TrainOptions { Epochs = 2, BatchSize = 8 }, cancellationToken: Ct);
        Assert.Equal((2, 6L, 46L), (summary.EpochsCompleted, summary.Steps, summary.Samples));
        Assert.All(model.FittedBatches.Chunk(3), epoch => Assert.Equal(Enumerable.Range(0, 23), epoch.SelectMany(b => b).Order()));

        var report = await job.EvaluateAsync(model, DataSplit.Test, batchSize: 4, Ct);
        Assert.Equal(10, report.Samples);
        Assert.Equal(8, job.LargestRead);
    }

    [Fact]
    public async Task A_split_the_source_does_not_have_fails_as_the_job_says()
    {
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => IdsAsync(NewJob().StreamAsync(4, DataSplit.Validation, cancellationToken: Ct)));
        Assert.Contains("Validation", error.Message);
    }
}
