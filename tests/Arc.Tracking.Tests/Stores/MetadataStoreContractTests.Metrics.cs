using Xunit;

namespace Arc.Tracking.Tests.Stores;

public abstract partial class MetadataStoreContractTests
{
    [Fact]
    public async Task NaN_and_infinities_are_stored_and_returned_as_such()
    {
        var experiment = await NewExperimentAsync();
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, double.MaxValue, double.MinValue, -1.5e-300];
        var points = values.Select((v, i) => Point("loss", i, v)).ToArray();
        Assert.Equal(MetricBatchOutcome.Stored, await Store.LogMetricsAsync(new MetricBatch(experiment.Id, points), Cancel));

        var read = await Store.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel);
        // −0.0 comes back as 0.0 (SQLite cannot keep the sign of a zero; both stores drop it alike).
        Assert.Equal(values.Select(v => Bits(v == 0 ? 0.0 : v)), read.Select(p => Bits(p.Value)));
        Assert.Equal(points.Select(p => p.WallTime), read.Select(p => p.WallTime));
        Assert.All(read, p => Assert.Equal("loss", p.Key));
        Assert.Equal(Bits(-1.5e-300), Bits((await Store.ReadLatestMetricsAsync(experiment.Id, Cancel)).Single().Value));
    }

    [Fact]
    public async Task A_retried_batch_is_stored_once()
    {
        var experiment = await NewExperimentAsync();
        var batch = new MetricBatch(experiment.Id, "batch-0001", [Point("loss", 1, 0.5), Point("loss", 2, double.NaN), Point("acc", 1, 0.1)]);
        Assert.Equal(MetricBatchOutcome.Stored, await Store.LogMetricsAsync(batch, Cancel));
        Assert.Equal(MetricBatchOutcome.AlreadyStored, await Store.LogMetricsAsync(batch, Cancel));
        // A retry is a new request with equal content, not the same object.
        var resent = new MetricBatch(experiment.Id, "batch-0001", batch.Points.Select(p => new MetricPoint(p.Key, p.Step, p.WallTime, p.Value)));
        Assert.Equal(MetricBatchOutcome.AlreadyStored, await Store.LogMetricsAsync(resent, Cancel));

        Assert.Equal(2, (await Store.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel)).Count);
        Assert.Single(await Store.ReadMetricAsync(experiment.Id, "acc", cancellationToken: Cancel));

        // The same key in another experiment is another batch.
        var other = await NewExperimentAsync("run-2");
        Assert.Equal(MetricBatchOutcome.Stored, await Store.LogMetricsAsync(new MetricBatch(other.Id, "batch-0001", batch.Points), Cancel));
    }

    [Fact]
    public async Task Other_points_under_a_used_key_are_refused_and_nothing_is_stored()
    {
        var experiment = await NewExperimentAsync();
        await Store.LogMetricsAsync(new MetricBatch(experiment.Id, "k1", [Point("loss", 1, 0.5)]), Cancel);
        var e = await Assert.ThrowsAsync<TrackingInvalidArgumentException>(
            () => Store.LogMetricsAsync(new MetricBatch(experiment.Id, "k1", [Point("loss", 1, 0.25), Point("loss", 2, 0.125)]), Cancel));
        Assert.Equal(TrackingErrorCode.InvalidArgument, e.Code);
        Assert.Contains("'k1'", e.Message);
        var points = await Store.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel);
        Assert.Equal([0.5], points.Select(p => p.Value));
    }

    [Fact]
    public async Task Steps_may_go_backwards_and_reads_order_by_step_then_logging_order()
    {
        var experiment = await NewExperimentAsync();
        // A run resumed from its checkpoint at step 2 logs steps 2 and 3 again.
        await Store.LogMetricsAsync(new MetricBatch(experiment.Id, [Point("loss", 1, 1.0), Point("loss", 2, 0.8), Point("loss", 3, 0.6)]), Cancel);
        await Store.LogMetricsAsync(new MetricBatch(experiment.Id, [Point("loss", 2, 0.7), Point("loss", 3, 0.5), Point("loss", 1, 0.95)]), Cancel);

        var read = await Store.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel);
        Assert.Equal([(1L, 1.0), (1L, 0.95), (2L, 0.8), (2L, 0.7), (3L, 0.6), (3L, 0.5)], read.Select(p => (p.Step, p.Value)));
        // The latest is the last logged point, whatever its step.
        var latest = Assert.Single(await Store.ReadLatestMetricsAsync(experiment.Id, Cancel));
        Assert.Equal((1L, 0.95), (latest.Step, latest.Value));
    }

    [Fact]
    public async Task Range_reads_include_both_bounds_and_unknown_keys_are_empty()
    {
        var experiment = await NewExperimentAsync();
        await Store.LogMetricsAsync(new MetricBatch(experiment.Id, Enumerable.Range(0, 10).Select(i => Point("loss", i, i / 10.0))), Cancel);
        Assert.Equal([3L, 4L, 5L], (await Store.ReadMetricAsync(experiment.Id, "loss", 3, 5, Cancel)).Select(p => p.Step));
        Assert.Equal([8L, 9L], (await Store.ReadMetricAsync(experiment.Id, "loss", fromStep: 8, cancellationToken: Cancel)).Select(p => p.Step));
        Assert.Equal([0L, 1L], (await Store.ReadMetricAsync(experiment.Id, "loss", toStep: 1, cancellationToken: Cancel)).Select(p => p.Step));
        Assert.Equal([4L], (await Store.ReadMetricAsync(experiment.Id, "loss", 4, 4, Cancel)).Select(p => p.Step));
        Assert.Empty(await Store.ReadMetricAsync(experiment.Id, "loss", 20, 30, Cancel));
        Assert.Empty(await Store.ReadMetricAsync(experiment.Id, "accuracy", cancellationToken: Cancel));
        Assert.Empty(await Store.ReadMetricAsync(experiment.Id, "loss", -5, -1, Cancel));
    }

    [Fact]
    public async Task Latest_values_are_one_per_series_across_batches_and_experiments()
    {
        var a = await NewExperimentAsync("a");
        var b = await NewExperimentAsync("b");
        Assert.Empty(await Store.ReadLatestMetricsAsync(a.Id, Cancel));
        await Store.LogMetricsAsync(new MetricBatch(a.Id, [Point("loss", 1, 0.9), Point("train/acc", 1, 0.1), Point("loss", 2, 0.8), Point("Loss_raw", 1, 0.95)]), Cancel);
        await Store.LogMetricsAsync(new MetricBatch(b.Id, [Point("loss", 1, 0.3)]), Cancel);
        await Store.LogMetricsAsync(new MetricBatch(a.Id, [Point("loss", 3, 0.7, wallMicros: 1_800_000_000_000_000)]), Cancel);

        var latest = await Store.ReadLatestMetricsAsync(a.Id, Cancel);
        Assert.Equal([("Loss_raw", 1L, 0.95), ("loss", 3L, 0.7), ("train/acc", 1L, 0.1)], latest.Select(p => (p.Key, p.Step, p.Value)));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(18_000_000_000_000_000), latest[1].WallTime);
        Assert.Equal([0.3], (await Store.ReadLatestMetricsAsync(b.Id, Cancel)).Select(p => p.Value));
    }

    [Fact]
    public async Task Metric_points_are_not_events()
    {
        var experiment = await NewExperimentAsync();
        int events = (await AllEventsAsync()).Count;
        await Store.LogMetricsAsync(new MetricBatch(experiment.Id, [Point("loss", 1, 1)]), Cancel);
        Assert.Equal(events, (await AllEventsAsync()).Count);
    }

    [Fact]
    public async Task A_100000_point_series_reads_back_whole_and_in_order()
    {
        var experiment = await NewExperimentAsync();
        const int total = 100_000, perBatch = 10_000;
        for (int start = 0; start < total; start += perBatch)
        {
            int first = start;
            await Store.LogMetricsAsync(new MetricBatch(experiment.Id,
                Enumerable.Range(first, perBatch).Select(i => Point("loss", i, 1.0 / (i + 1), 1_700_000_000_000_000 + i))), Cancel);
        }
        var read = await Store.ReadMetricAsync(experiment.Id, "loss", cancellationToken: Cancel);
        Assert.Equal(total, read.Count);
        for (int i = 0; i < total; i++)
        {
            if (read[i].Step != i || read[i].Value != 1.0 / (i + 1) || UnixMicros(read[i].WallTime) != 1_700_000_000_000_000 + i)
                Assert.Fail($"point {i} reads back as step {read[i].Step}, value {read[i].Value}, wall {read[i].WallTime:O}");
        }
        Assert.Equal(1_000, (await Store.ReadMetricAsync(experiment.Id, "loss", 50_000, 50_999, Cancel)).Count);
        Assert.Equal(total - 1L, (await Store.ReadLatestMetricsAsync(experiment.Id, Cancel)).Single().Step);
    }

    [Fact]
    public async Task Four_concurrent_writers_store_every_point_once()
    {
        var experiment = await NewExperimentAsync();
        var model = await NewModelAsync();
        const int writers = 4, batches = 25, perBatch = 100;
        var tasks = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            var versions = new List<int>();
            for (int b = 0; b < batches; b++)
            {
                var points = Enumerable.Range(0, perBatch).Select(i => Point($"writer{writer}", b * perBatch + i, writer * 1_000_000 + b * perBatch + i));
                var batch = new MetricBatch(experiment.Id, $"w{writer}-b{b}", points);
                Assert.Equal(MetricBatchOutcome.Stored, await Store.LogMetricsAsync(batch, Cancel));
                // Every other batch is sent twice, as a client retries one whose answer it lost.
                if (b % 2 == 0) Assert.Equal(MetricBatchOutcome.AlreadyStored, await Store.LogMetricsAsync(batch, Cancel));
                if (b % 5 == 0) versions.Add((await Store.CreateModelVersionAsync(new ModelVersionDraft(model.Id), Cancel)).Version);
            }
            return versions;
        }, Cancel)).ToArray();
        var versionNumbers = (await Task.WhenAll(tasks)).SelectMany(v => v).Order().ToArray();

        for (int writer = 0; writer < writers; writer++)
        {
            var series = await Store.ReadMetricAsync(experiment.Id, $"writer{writer}", cancellationToken: Cancel);
            Assert.Equal(Enumerable.Range(0, batches * perBatch).Select(i => (double)(writer * 1_000_000 + i)), series.Select(p => p.Value));
        }
        Assert.Equal(Enumerable.Range(1, writers * batches / 5), versionNumbers);
        var events = await AllEventsAsync();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Id));
        Assert.Equal(writers * batches / 5, events.Count(e => e.Kind == TrackingEventKinds.ModelVersionCreated));
    }

    private static long UnixMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
