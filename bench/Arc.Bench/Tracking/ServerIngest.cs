using System.Diagnostics;
using System.Globalization;
using Arc.Tracking;
using Arc.Tracking.Server;
using Microsoft.Data.Sqlite;

namespace Arc.Bench.Tracking;

/// <summary>
/// Issue #13's tracking figures through the whole path: metric ingest client → server (a real <see cref="TrackingServer"/>
/// on Kestrel, loopback HTTP/2) → SQLite, beside its floor, raw SQLite inserting the same rows (WAL, synchronous=FULL,
/// one transaction and one prepared INSERT per 1,000 points). Three cases take turns (interleaved rounds, medians), each
/// moving 10,000 points per operation: the floor; <see cref="TrackingServerClient.LogMetricsAsync"/> with batches of 1,000
/// (MLflow's batch size); and <see cref="TrackingClient"/> (buffered, batching by itself, flushed at the end of each
/// operation). Targets: ≥ 0.5× the floor and ≥ 100,000 points/s. Then the one-point round trip (p50 ≤ 1 ms) and reading
/// a 100,000-point series through the server (≤ 100 ms). Not judged at load &gt; 1.
/// </summary>
public static class ServerIngest
{
    private const int PointsPerBatch = 1_000;
    private const int PointsPerOperation = 10_000;
    private const int SeriesPoints = 100_000;

    public static void Run(BenchOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchOptions options)
    {
        var folder = Directory.CreateTempSubdirectory("arc-bench-ingest-");
        try
        {
            Console.WriteLine($"ingest: client → server → SQLite vs raw SQLite, points/s, {PointsPerOperation:N0} points per operation (higher is better); loadavg before: {MachineLoad.Line()}");
            await using var store = await SqliteMetadataStore.OpenAsync(Path.Combine(folder.FullName, "server.db"));
            await using var server = await TrackingServer.StartAsync(store, new TrackingServerOptions { Port = 0 });
            using var remote = new TrackingServerClient(server.Address);
            await using var raw = await RawSqlite.OpenAsync(Path.Combine(folder.FullName, "raw.db"));
            var direct = await remote.CreateExperimentAsync(new ExperimentDraft("bench", "direct", "bench"));
            var buffered = await remote.CreateExperimentAsync(new ExperimentDraft("bench", "buffered", "bench"));
            var client = new TrackingClient(remote);

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
                () => Repeat(() => raw.InsertAsync(direct.Id, NextBatch())),
                () => Repeat(() => remote.LogMetricsAsync(new MetricBatch(direct.Id, NextBatch()))),
                () => LogBufferedAsync(client, buffered.Id, PointsPerOperation).GetAwaiter().GetResult(),
            }, PointsPerOperation, options.CaseDuration).Select(r => r * 1e9).ToArray();
            double floor = rates[0];
            Console.WriteLine($"{"case",-64} {"points/s",12} {"÷ floor",8}");
            Console.WriteLine($"{"floor: raw SQLite, one transaction per 1,000 points",-64} {floor,12:N0} {1.0,8:0.00}");
            Console.WriteLine($"{"TrackingServerClient.LogMetricsAsync → server → SQLite, 1,000/batch",-64} {rates[1],12:N0} {rates[1] / floor,8:0.00}");
            Console.WriteLine($"{"TrackingClient (buffered) → server → SQLite",-64} {rates[2],12:N0} {rates[2] / floor,8:0.00}");
            await client.DisposeAsync();

            // One point per call, each waited for: the latency of a log that cannot be batched.
            int calls = options.Quick ? 200 : 2_000;
            var oneRemote = await LatenciesAsync(calls, i => remote.LogMetricsAsync(new MetricBatch(direct.Id, [new MetricPoint("one", i, DateTimeOffset.UtcNow, i)])));
            var oneRaw = await LatenciesAsync(calls, i => raw.InsertAsync(direct.Id, [new MetricPoint("one-raw", i, DateTimeOffset.UtcNow, i)]));
            Console.WriteLine($"{"one-point log round trip (client → server → SQLite)",-64} p50 {Ms(oneRemote, 0.5)} ms, p99 {Ms(oneRemote, 0.99)} ms");
            Console.WriteLine($"{"one-point raw SQLite transaction (the commit's fsync)",-64} p50 {Ms(oneRaw, 0.5)} ms, p99 {Ms(oneRaw, 0.99)} ms");

            // Reading a series of exactly 100,000 points through the server, and from the store in process.
            var series = await remote.CreateExperimentAsync(new ExperimentDraft("bench", "read", "bench"));
            for (int first = 0; first < SeriesPoints; first += PointsPerBatch)
                await remote.LogMetricsAsync(new MetricBatch(series.Id,
                    Enumerable.Range(first, PointsPerBatch).Select(i => new MetricPoint("loss", i, DateTimeOffset.UtcNow, 1.0 / (i + 1)))));
            int reads = options.Quick ? 3 : 11;
            var serverRead = await MedianAsync(reads, async () => (await remote.ReadMetricAsync(series.Id, "loss")).Count);
            var storeRead = await MedianAsync(reads, async () => (await store.ReadMetricAsync(series.Id, "loss")).Count);
            Console.WriteLine($"{"read 100,000 points: store in process",-64} {storeRead.TotalMilliseconds,9:0.0} ms");
            Console.WriteLine($"{"read 100,000 points: client → server",-64} {serverRead.TotalMilliseconds,9:0.0} ms");

            string load = MachineLoad.Line();
            Console.WriteLine($"loadavg after: {load}");
            double one = MachineLoad.OneMinute(load);
            bool quiet = one <= MachineLoad.JudgedUpTo;
            string Verdict(bool met) => (met ? "met" : "NOT met") + (quiet ? "" : $" at load {one:0.0}, not reportable");
            double best = Math.Max(rates[1], rates[2]);
            Console.WriteLine($"targets: ≥ 0.5× floor {Verdict(best / floor >= 0.5)} ({best / floor:0.00}×); ≥ 100,000 points/s {Verdict(best >= 100_000)} ({best:N0}); " +
                              $"one-point p50 ≤ 1 ms {Verdict(Quantile(oneRemote, 0.5) <= 1.0)}; read ≤ 100 ms {Verdict(serverRead.TotalMilliseconds <= 100)}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Ten batches of 1,000 points, one after the other.</summary>
    private static void Repeat(Func<Task> batch)
    {
        for (int i = 0; i < PointsPerOperation / PointsPerBatch; i++) batch().GetAwaiter().GetResult();
    }

    private static long _bufferedStep;

    private static async Task LogBufferedAsync(TrackingClient client, string experiment, int points)
    {
        var now = DateTimeOffset.UtcNow;
        for (int i = 0; i < points; i++)
        {
            long step = _bufferedStep++;
            await client.LogAsync(experiment, new MetricPoint("loss", step, now, 1.0 / (step + 1)));
        }
        await client.FlushAsync();
    }

    /// <summary>Each call's time in milliseconds, sorted, after a warm-up of a tenth as many.</summary>
    private static async Task<double[]> LatenciesAsync(int calls, Func<int, Task> call)
    {
        for (int i = 0; i < calls / 10; i++) await call(-1 - i);
        var times = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            var clock = Stopwatch.StartNew();
            await call(i);
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times;
    }

    private static double Quantile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    private static string Ms(double[] sorted, double q) => Quantile(sorted, q).ToString("0.000", CultureInfo.InvariantCulture);

    private static async Task<TimeSpan> MedianAsync(int runs, Func<Task<int>> read)
    {
        if (await read() != SeriesPoints) throw new InvalidOperationException($"the series does not hold {SeriesPoints} points");
        var times = new List<TimeSpan>();
        for (int i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            int count = await read();
            times.Add(clock.Elapsed);
            if (count != SeriesPoints) throw new InvalidOperationException($"read {count} points, expected {SeriesPoints}");
        }
        return times.Order().ElementAt(runs / 2);
    }

}
