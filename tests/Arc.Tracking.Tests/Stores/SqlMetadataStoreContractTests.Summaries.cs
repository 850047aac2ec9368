using Arc.Tracking.Server;
using Xunit;

namespace Arc.Tracking.Tests.Stores;

public abstract partial class SqlMetadataStoreContractTests
{
    /// <summary>The web UI's best value per experiment (one query): lowest or highest, by namespace, NaN never best.</summary>
    [Fact]
    public async Task The_best_value_of_a_metric_per_experiment_leaves_NaN_out()
    {
        var first = await NewExperimentAsync("run-1");
        var second = await NewExperimentAsync("run-2");
        var onlyNaN = await NewExperimentAsync("run-3");
        var elsewhere = await NewExperimentAsync("run-1", "other");
        await Store.LogMetricsAsync(new MetricBatch(first.Id, [Point("loss", 1, 0.9), Point("loss", 2, double.NaN), Point("loss", 3, 0.2), Point("acc", 3, 7)]), Cancel);
        await Store.LogMetricsAsync(new MetricBatch(second.Id, [Point("loss", 1, double.PositiveInfinity), Point("loss", 2, -1.5)]), Cancel);
        await Store.LogMetricsAsync(new MetricBatch(onlyNaN.Id, [Point("loss", 1, double.NaN)]), Cancel);
        await Store.LogMetricsAsync(new MetricBatch(elsewhere.Id, [Point("loss", 1, 0.1)]), Cancel);
        var summaries = (IMetricSummarySource)Store;

        var lowest = await summaries.BestMetricValuesAsync("langtech", "loss", highest: false, Cancel);
        Assert.Equal(new Dictionary<string, double> { [first.Id] = 0.2, [second.Id] = -1.5 }, lowest);
        var highest = await summaries.BestMetricValuesAsync("langtech", "loss", highest: true, Cancel);
        Assert.Equal(new Dictionary<string, double> { [first.Id] = 0.9, [second.Id] = double.PositiveInfinity }, highest);
        var everywhere = await summaries.BestMetricValuesAsync(null, "loss", highest: false, Cancel);
        Assert.Equal(0.1, everywhere[elsewhere.Id]);
        Assert.Equal(3, everywhere.Count);
        Assert.Empty(await summaries.BestMetricValuesAsync("langtech", "unknown", highest: false, Cancel));
    }
}
