using System.Diagnostics;
using Arc.Tracking;
using Arc.Tracking.Server;
using Microsoft.Data.Sqlite;

namespace Arc.Bench.Tracking;

/// <summary>
/// The SQLite metadata store's metric ingest and series read, side by side with their floor: raw SQLite doing the same
/// rows in the same file setup (WAL, synchronous=FULL, the store's table and index, one transaction and one prepared
/// INSERT per batch of 1,000 points). The store adds the idempotency key, its digest, the experiment check and the latest
/// values. Issue #13 asks the whole path (client → server → SQLite) for at least half the floor and 100,000 points/s; the
/// store alone is measured here so that the server's share can be told from the store's later. Read: a 100,000-point
/// series through the store and the same SELECT raw (target: ≤ 100 ms through the whole path).
/// </summary>
public static class MetricIngest
{
    private const int PointsPerBatch = 1_000;
    private const int SeriesPoints = 100_000;
    private const double FloorTarget = 0.5;

    public static void Run(BenchOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchOptions options)
    {
        var folder = Directory.CreateTempSubdirectory("arc-bench-tracking-");
        try
        {
            Console.WriteLine($"tracking: SQLite metric ingest, points/s in batches of {PointsPerBatch:N0} (higher is better); loadavg before: {MachineLoad.Line()}");
            await using var store = await SqliteMetadataStore.OpenAsync(Path.Combine(folder.FullName, "store.db"));
            var experiment = await store.CreateExperimentAsync(new ExperimentDraft("bench", "ingest", "bench"));
            await using var raw = await RawSqlite.OpenAsync(Path.Combine(folder.FullName, "raw.db"));

            long next = 0;
            MetricPoint[] NextBatch()
            {
                long first = next;
                next += PointsPerBatch;
                var now = DateTimeOffset.UtcNow;
                return Enumerable.Range(0, PointsPerBatch).Select(i => new MetricPoint("loss", first + i, now, 1.0 / (first + i + 1))).ToArray();
            }

            var rates = Measure.GigabytesPerSecond(new Action[]
            {
                () => raw.InsertAsync(experiment.Id, NextBatch()).GetAwaiter().GetResult(),
                () => store.LogMetricsAsync(new MetricBatch(experiment.Id, NextBatch())).GetAwaiter().GetResult(),
            }, PointsPerBatch, options.CaseDuration).Select(r => r * 1e9).ToArray();
            double floor = rates[0], stored = rates[1];
            Console.WriteLine($"{"case",-56} {"points/s",12} {"÷ floor",8}");
            Console.WriteLine($"{"floor: raw SQLite, one transaction per batch",-56} {floor,12:N0} {1.0,8:0.00}");
            Console.WriteLine($"{"SqliteMetadataStore.LogMetricsAsync",-56} {stored,12:N0} {stored / floor,8:0.00}");

            // The read: a series of exactly 100,000 points, in an experiment of its own on each side.
            var series = await store.CreateExperimentAsync(new ExperimentDraft("bench", "read", "bench"));
            for (int first = 0; first < SeriesPoints; first += PointsPerBatch)
            {
                var points = Enumerable.Range(first, PointsPerBatch).Select(i => new MetricPoint("loss", i, DateTimeOffset.UtcNow, 1.0 / (i + 1))).ToArray();
                await raw.InsertAsync(series.Id, points);
                await store.LogMetricsAsync(new MetricBatch(series.Id, points));
            }
            int reads = options.Quick ? 3 : 11;
            var storeRead = await MedianAsync(reads, async () => Check(await store.ReadMetricAsync(series.Id, "loss")));
            var rawRead = await MedianAsync(reads, async () => Check(await raw.ReadAsync(series.Id)));
            Console.WriteLine($"{"read 100,000 points: raw SELECT",-56} {rawRead.TotalMilliseconds,9:0.0} ms");
            Console.WriteLine($"{"read 100,000 points: ReadMetricAsync",-56} {storeRead.TotalMilliseconds,9:0.0} ms");
            string load = MachineLoad.Line();
            Console.WriteLine($"loadavg after: {load}");
            double one = MachineLoad.OneMinute(load);
            bool quiet = one <= MachineLoad.JudgedUpTo;
            string verdict = stored / floor >= FloorTarget ? "met" : "NOT met";
            Console.WriteLine($"store/floor = {stored / floor:0.00}× (store alone; the issue's target ≥ {FloorTarget}× is for client → server → SQLite: " +
                              $"{(quiet ? verdict : $"{verdict} at load {one:0.0}, not reportable")})");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static int Check(int count) => count == SeriesPoints ? count : throw new InvalidOperationException($"read {count} points, expected {SeriesPoints}");

    private static int Check(IReadOnlyList<MetricPoint> points) => Check(points.Count);

    private static async Task<TimeSpan> MedianAsync(int runs, Func<Task<int>> read)
    {
        await read(); // warm-up
        var times = new List<TimeSpan>();
        for (int i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await read();
            times.Add(clock.Elapsed);
        }
        return times.Order().ElementAt(runs / 2);
    }

}
