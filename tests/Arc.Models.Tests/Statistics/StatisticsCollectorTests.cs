using Arc.Datasets;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Models.Tests;

public sealed class StatisticsCollectorTests
{
    [Fact]
    public async Task A_table_is_summarised_per_numeric_column_and_labels_per_label()
    {
        using var folder = new TemporaryFolder();
        double[] heights = [1.5, 1.7, 1.9, 2.1];
        int[] ages = [10, 20, 30, 40];
        var table = new TableData([
            TableColumn.FromValues("height", heights),
            TableColumn.FromStrings("name", ["a", "b", "c", "d"]),   // text: no numeric view, left out
            TableColumn.FromValues("age", ages),
        ]);
        var labels = LabelData.FromNameSets([["x"], ["x", "y"], [], ["y"]], ["x", "y"]);
        var published = await new DatasetBuilder<TableData, LabelData>("people")
            .AddSplit(DataSplit.Train, new Batch<TableData, LabelData>(table, labels))
            .PublishAsync(folder.Path, "v1", TestContext.Current.CancellationToken);
        using var dataset = await DatasetVersion.OpenAsync<TableData, LabelData>(published.Path, cancellationToken: TestContext.Current.CancellationToken);

        var statistics = await StatisticsCollector.OfSplitAsync(dataset, DataSplit.Train, TestContext.Current.CancellationToken);

        Assert.Equal(4, statistics.Samples);
        Assert.Equal(["height", "age"], statistics.Features.Select(f => f.Name));
        var height = statistics.Features[0];
        Assert.Equal((4L, 1.8, 1.5, 2.1), (height.Count, Math.Round(height.Mean, 12), height.Min, height.Max));
        Assert.Equal(Math.Sqrt(0.05), height.Std, 12);
        Assert.Equal(4, height.Histogram.Counts.Sum());
        Assert.Equal(1, height.Histogram.Counts[0]);   // 1.5 opens the first bin
        Assert.Equal(1, height.Histogram.Counts[^1]);  // 2.1 closes the last
        var age = statistics.Features[1];
        Assert.Equal((25.0, 10.0, 40.0), (age.Mean, age.Min, age.Max));
        Assert.Equal(["x", "y"], statistics.Classes!.Names);
        Assert.Equal([2L, 2L], statistics.Classes.Counts);
    }

    [Fact]
    public void A_batch_is_counted_on_another_splits_bins_with_the_values_outside_them_apart()
    {
        var reference = new DataStatistics(1, [new FeatureStatistics("channel 0", 4, 0.5, 0.1, 0, 1, new Histogram(0, 1, 0, [0, 0, 0, 0], 0))], null);
        var pixels = ArcArray.From(new float[] { -0.5f, 0f, 0.3f, 0.99f, 1f, 1.5f }, 1, 1, 2, 3);
        var batch = new Batch<ImageData, ClassData>(new ImageData(pixels), new ClassData([0L], ["a", "b"]));

        var statistics = StatisticsCollector.OfBatchOnBins(batch, reference);

        var histogram = statistics.Features[0].Histogram;
        Assert.Equal((0.0, 1.0, 1L, 1L), (histogram.Low, histogram.High, histogram.Below, histogram.Above));
        Assert.Equal([1L, 1L, 0L, 2L], histogram.Counts);
        Assert.Equal([1L, 0L], statistics.Classes!.Counts);
    }
}
