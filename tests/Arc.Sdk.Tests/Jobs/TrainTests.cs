using Arc.Sdk.Tests.Support;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Sdk.Tests.Jobs;

public sealed class TrainTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TableModel NewModel() => new(new long[10], TestData.ThreeClasses);

    [Fact]
    public async Task Every_epoch_fits_every_sample_once_in_a_fresh_order()
    {
        var model = NewModel();
        var summary = await InMemoryJob.Numbered(train: 10).TrainAsync(model, new TrainOptions { Epochs = 3, BatchSize = 4, ShuffleSeed = 7 }, cancellationToken: Ct);

        Assert.Equal((3, 9L, 30L, false), (summary.EpochsCompleted, summary.Steps, summary.Samples, summary.StoppedByBudget));
        Assert.Equal([4, 4, 2, 4, 4, 2, 4, 4, 2], model.FittedBatches.Select(b => b.Length));
        var epochs = model.FittedBatches.Chunk(3).Select(e => e.SelectMany(b => b).ToArray()).ToArray();
        Assert.All(epochs, e => Assert.Equal(Enumerable.Range(0, 10), e.Order()));
        Assert.NotEqual(epochs[0], epochs[1]);
        Assert.NotEqual(epochs[1], epochs[2]);
        // The fake loss is a batch's mean sample number, so the epoch's weighted mean is the mean of 0..9.
        Assert.Equal(4.5, summary.LastEpochLoss, 1e-12);
    }

    [Fact]
    public async Task Without_a_seed_the_stored_order_is_used()
    {
        var model = NewModel();
        await InMemoryJob.Numbered(train: 10).TrainAsync(model, new TrainOptions { Epochs = 2, BatchSize = 5, ShuffleSeed = null }, cancellationToken: Ct);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9], model.FittedBatches.SelectMany(b => b));
    }

    [Fact]
    public async Task Progress_follows_each_step_and_marks_epoch_ends()
    {
        var reports = new List<TrainProgress>();
        await InMemoryJob.Numbered(train: 10).TrainAsync(NewModel(), new TrainOptions { Epochs = 2, BatchSize = 4 },
            new SyncProgress<TrainProgress>(reports.Add), Ct);
        Assert.Equal([1, 2, 3, 1, 2, 3], reports.Select(r => r.Batch));
        Assert.Equal([1, 1, 1, 2, 2, 2], reports.Select(r => r.Epoch));
        Assert.Equal([false, false, true, false, false, true], reports.Select(r => r.EndOfEpoch));
        Assert.Equal([4L, 8, 10, 14, 18, 20], reports.Select(r => r.Samples));
        Assert.All(reports, r => Assert.Equal(("table", 2, 3), (r.Model, r.Epochs, r.BatchesPerEpoch)));
    }

    [Fact]
    public async Task A_spent_budget_stops_before_the_next_step()
    {
        var model = NewModel();
        var summary = await InMemoryJob.Numbered().TrainAsync(model, new TrainOptions { Epochs = 5, Budget = TimeSpan.Zero }, cancellationToken: Ct);
        Assert.True(summary.StoppedByBudget);
        Assert.Equal((0, 0L), (summary.EpochsCompleted, summary.Steps));
        Assert.True(double.IsNaN(summary.LastEpochLoss));
        Assert.Empty(model.FittedBatches);
    }

    [Fact]
    public async Task Training_can_be_cancelled_between_steps()
    {
        using var cancel = new CancellationTokenSource();
        var model = NewModel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await InMemoryJob.Numbered().TrainAsync(model, new TrainOptions { BatchSize = 2 }, new SyncProgress<TrainProgress>(_ => cancel.Cancel()), cancel.Token));
        Assert.Single(model.FittedBatches);
    }

    [Theory]
    [InlineData(0, 64)]
    [InlineData(1, 0)]
    public async Task Bad_options_are_rejected(int epochs, int batchSize)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await InMemoryJob.Numbered().TrainAsync(NewModel(), new TrainOptions { Epochs = epochs, BatchSize = batchSize }, cancellationToken: Ct));
    }
}
