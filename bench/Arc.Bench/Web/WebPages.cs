using System.Diagnostics;
using System.Globalization;
using Arc.Tracking;
using Arc.Tracking.Server;
using Arc.Tracking.Web;
using Microsoft.Data.Sqlite;

namespace Arc.Bench.Web;

/// <summary>
/// Issue #19's web UI figures, through a real <see cref="TrackingWebServer"/> (Kestrel, loopback HTTP/1.1) over SQLite:
/// (1) the experiment list of a namespace with 10,000 experiments (each with a loss series), the time from request to
/// the last byte of the page, for the default order, sorted by the best loss and filtered, taking turns (target: ≤ 300 ms
/// at the median); (2) the weight of the page of an experiment with a 100,000-point series, the HTML with the stylesheet
/// and script it loads (target: ≤ 1 MB). Times at load &gt; 1 are printed "not judged".
/// </summary>
public static class WebPages
{
    private const string Namespace = "bench";

    public static void Run(BenchOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchOptions options)
    {
        int experiments = options.Quick ? 500 : 10_000;
        int rounds = options.Quick ? 3 : 15;
        var folder = Directory.CreateTempSubdirectory("arc-bench-web-");
        try
        {
            Console.WriteLine($"web: the web UI's pages (arc server's web port) over SQLite; loadavg before: {MachineLoad.Line()}");
            await using var store = await SqliteMetadataStore.OpenAsync(Path.Combine(folder.FullName, "metadata.db"));
            var setup = Stopwatch.StartNew();
            var random = new Random(19);
            var now = DateTimeOffset.UtcNow;
            for (int i = 0; i < experiments; i++)
            {
                var experiment = await store.CreateExperimentAsync(new ExperimentDraft(Namespace, $"run-{i:D5}", $"owner{i % 7}@example.com")
                {
                    Hyperparameters = new Dictionary<string, HyperparameterValue> { ["lr"] = random.NextDouble(), ["batch"] = 64 },
                });
                var points = Enumerable.Range(0, 10).Select(s => new MetricPoint("loss", s, now, random.NextDouble() / (s + 1))).ToArray();
                await store.LogMetricsAsync(new MetricBatch(experiment.Id, points));
            }
            var heavy = await store.CreateExperimentAsync(new ExperimentDraft("heavy", "long-run", "bench@example.com"));
            await store.LogMetricsAsync(new MetricBatch(heavy.Id,
                Enumerable.Range(0, 100_000).Select(s => new MetricPoint("loss", s, now, Math.Exp(-s / 20_000.0) + random.NextDouble() * 0.05)).ToArray()));
            Console.WriteLine($"setup: {experiments:N0} experiments of 10 points and one of 100,000 points in {setup.Elapsed.TotalSeconds:0.0} s");

            await using var server = await TrackingWebServer.StartAsync(store, blobs: null, new TrackingWebOptions { Port = 0 });
            using var http = new HttpClient { BaseAddress = server.Address };
            (string Name, string Path)[] cases =
            [
                ("list, newest first (page 1 of 100 rows)", $"/namespaces/{Namespace}"),
                ("list sorted by best loss", $"/namespaces/{Namespace}?metric=loss&best=min&sort=best&dir=asc"),
                ("list filtered by owner", $"/namespaces/{Namespace}?q=owner3"),
            ];
            foreach (var (_, path) in cases) await GetAsync(http, path); // warm-up: JIT, SQLite page cache
            var times = cases.Select(_ => new List<double>()).ToArray();
            for (int r = 0; r < rounds; r++)
                for (int c = 0; c < cases.Length; c++)
                {
                    var clock = Stopwatch.StartNew();
                    await GetAsync(http, cases[c].Path);
                    times[c].Add(clock.Elapsed.TotalMilliseconds);
                }

            string page = await GetAsync(http, $"/experiments/{heavy.Id}");
            long weight = System.Text.Encoding.UTF8.GetByteCount(page)
                          + (await http.GetByteArrayAsync("/assets/site.css")).Length + (await http.GetByteArrayAsync("/assets/live.js")).Length;

            string loadAfter = MachineLoad.Line();
            Console.WriteLine($"{"case (" + experiments.ToString("N0", CultureInfo.InvariantCulture) + " experiments), ms",-56} {"n",4} {"median",9} {"max",9}");
            for (int c = 0; c < cases.Length; c++)
                Console.WriteLine($"{cases[c].Name,-56} {times[c].Count,4} {Statistics.Median(times[c]),9:0.0} {times[c].Max(),9:0.0}");
            Console.WriteLine($"experiment page with a 100,000-point series: {weight:N0} bytes (HTML {page.Length:N0} + stylesheet + script)");
            Console.WriteLine($"loadavg after: {loadAfter}");
            bool quiet = Quiet(loadAfter);
            double worst = times.Max(Statistics.Median);
            string listVerdict = options.Quick ? "not judged (quick mode: fewer experiments)"
                : !quiet ? $"not judged (load {loadAfter.Split(' ')[0]})" : worst <= 300 ? "met" : "NOT met";
            Console.WriteLine($"target: list of 10,000 experiments ≤ 300 ms at the median: {listVerdict} (slowest case {worst:0.0} ms); " +
                              $"page weight ≤ 1 MB: {(weight <= 1_000_000 ? "met" : "NOT met")} ({weight / 1e6:0.000} MB)");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task<string> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
    }

    private static bool Quiet(string load) => MachineLoad.OneMinute(load) <= MachineLoad.JudgedUpTo;

}
