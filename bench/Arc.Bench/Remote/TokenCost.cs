using System.Diagnostics;
using System.Globalization;
using Arc.Hosting;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Bench.Remote;

/// <summary>
/// Case (a′): what the worker token costs a Predict. Two workers serve <see cref="PredictProbe"/> in one child process
/// (<see cref="Argument"/>): one checks the token as every Arc worker does, the other is started through the internal,
/// benchmark-only <c>ArcWorkerHost.StartWithoutTokenForBenchmarkAsync</c>, and its client sends none. The same typed
/// Predict of a 1×1×28×28 sample goes to each, sequentially, in interleaved blocks (the order alternating), for several
/// runs; each run's p50 difference is one sample of the token's cost, and the median run is reported with /proc/loadavg
/// before and after and the 1-minute load at the start and end of every run (each run waits for a quiet machine
/// first). Server and client CPU per call are charged per block, as in case (a).
/// </summary>
public static class TokenCost
{
    /// <summary>The hidden command-line argument that makes this program the pair of workers; the token comes on stdin.</summary>
    public const string Argument = "--serve-token-pair";

    /// <summary>The p50 cost the token is held to.</summary>
    public const double TargetMicroseconds = 3;

    private const string ReadyPrefix = "TOKEN-PAIR-READY ";

    public static async Task RunAsync(BenchOptions options)
    {
        int runs = options.Quick ? 2 : 31, blocks = options.Quick ? 4 : 20, perBlock = options.Quick ? 50 : 250, warmUp = options.Quick ? 200 : 3000;
        // The difference sought is a few microseconds, below what a busy shared machine lets through: in full mode
        // every run first waits for the 1-minute load average to fall (QuietRuns), so that the start-up, the warm-up
        // and the previous run do not count as a neighbour's load.
        var quiet = new QuietRuns(startBelow: options.Quick ? double.PositiveInfinity : 0.7);
        string loadBefore = MachineLoad.Line();
        var sample = new ImageData(ArcArray.From(Enumerable.Range(0, 784).Select(i => (i % 255) / 255f).ToArray(), 1, 1, 28, 28));
        string token = ArcWorkerToken.Generate();
        await using var child = await BenchChildProcess.StartAsync([Argument], [token], ReadyPrefix);
        var ports = child.ReadyLine[ReadyPrefix.Length..].Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        Uri with = new($"http://127.0.0.1:{ports["with"]}"), without = new($"http://127.0.0.1:{ports["without"]}");
        using var withChannel = new ArcChannel(with, new ArcChannelOptions { Token = token });
        using var withoutChannel = new ArcChannel(without, new ArcChannelOptions());
        var clients = new[] { new RemoteModelClient<ImageData, ClassData>(withChannel), new RemoteModelClient<ImageData, ClassData>(withoutChannel) };

        // Sanity: the token worker refuses a call without it, the other serves one; both answer the probe's reply.
        using (var noToken = new ArcChannel(with, new ArcChannelOptions()))
        {
            try
            {
                await new RemoteModelClient<ImageData, ClassData>(noToken).PredictAsync(sample);
                throw new InvalidOperationException("the worker that checks the token served a call without it");
            }
            catch (ArcWorkerAuthenticationException) { }
        }
        foreach (var client in clients)
            if ((await client.PredictAsync(sample)).Count != 1) throw new InvalidOperationException("the probe answered the wrong number of rows");

        foreach (var client in clients)
            for (int i = 0; i < warmUp; i++) await client.PredictAsync(sample);
        int self = Environment.ProcessId;
        bool cpuKnown = ProcessCpu.Nanoseconds(self) is not null;
        var kept = await quiet.RunAsync(0, runs, async run =>
        {
            var latencies = new[] { new List<double>(blocks * perBlock), new List<double>(blocks * perBlock) };
            var serverCpu = new long[2];
            var clientCpu = new long[2];
            for (int b = 0; b < blocks; b++)
                foreach (int c in (b + run) % 2 == 0 ? new[] { 0, 1 } : [1, 0])
                {
                    long client0 = ProcessCpu.Nanoseconds(self) ?? 0, server0 = ProcessCpu.Nanoseconds(child.ProcessId) ?? 0;
                    for (int i = 0; i < perBlock; i++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        await clients[c].PredictAsync(sample);
                        latencies[c].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                    }
                    clientCpu[c] += (ProcessCpu.Nanoseconds(self) ?? 0) - client0;
                    serverCpu[c] += (ProcessCpu.Nanoseconds(child.ProcessId) ?? 0) - server0;
                }
            double calls = blocks * perBlock;
            return (P50With: Percentile(latencies[0], 0.5), P50Without: Percentile(latencies[1], 0.5),
                P99With: Percentile(latencies[0], 0.99), P99Without: Percentile(latencies[1], 0.99),
                ServerWith: serverCpu[0] / 1e3 / calls, ServerWithout: serverCpu[1] / 1e3 / calls,
                ClientWith: clientCpu[0] / 1e3 / calls, ClientWithout: clientCpu[1] / 1e3 / calls);
        });
        var rows = kept.Select(k => k.Figures).ToList();
        string loadAfter = MachineLoad.Line();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(a′) the token's cost: the same typed Predict to two workers in one child process, with the token check and without; {runs} runs of {blocks} interleaved blocks × {perBlock} sequential calls each, µs"));
        Console.WriteLine($"    loadavg before: {loadBefore}");
        Console.WriteLine($"    {"run",4} {"p50 token",10} {"p50 none",9} {"Δp50",7} {"p99 token",10} {"p99 none",9} {"server CPU token",17} {"none",6} {"Δ",6} {"client CPU Δ",13}");
        for (int r = 0; r < rows.Count; r++)
        {
            var x = rows[r];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {r + 1,4} {x.P50With,10:0.0} {x.P50Without,9:0.0} {x.P50With - x.P50Without,7:+0.0;-0.0} {x.P99With,10:0} {x.P99Without,9:0} ") +
                (cpuKnown ? string.Create(CultureInfo.InvariantCulture, $"{x.ServerWith,17:0.0} {x.ServerWithout,6:0.0} {x.ServerWith - x.ServerWithout,6:+0.0;-0.0} {x.ClientWith - x.ClientWithout,13:+0.0;-0.0}") : "n/a"));
        }
        double p50With = Statistics.Median(rows.Select(x => x.P50With)), p50Without = Statistics.Median(rows.Select(x => x.P50Without));
        double delta = Statistics.Median(rows.Select(x => x.P50With - x.P50Without));
        double serverDelta = Statistics.Median(rows.Select(x => x.ServerWith - x.ServerWithout)), clientDelta = Statistics.Median(rows.Select(x => x.ClientWith - x.ClientWithout));
        Console.WriteLine($"    loadavg after: {loadAfter}");
        Console.WriteLine($"    1-minute load at each run's start→end: {quiet.Describe()}");
        string verdict = MachineLoad.Verdict(delta <= TargetMicroseconds, quiet.Highest);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    median of runs: p50 {p50With:0.0} µs with the token, {p50Without:0.0} µs without; the token costs {delta:+0.0;-0.0} µs at p50 (target ≤ {TargetMicroseconds:0} µs: {verdict})"));
        if (cpuKnown)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    CPU per call the token adds (median of runs): server {serverDelta:+0.0;-0.0} µs, client {clientDelta:+0.0;-0.0} µs"));
    }

    /// <summary>The child's side: a worker that checks the token (read from stdin) and one that does not, until stdin closes.</summary>
    public static async Task<int> ServeAsync()
    {
        string token = Console.In.ReadLine() ?? throw new InvalidOperationException("no token on stdin");
        await using var withToken = await ArcWorkerHost.StartAsync(new SupervisedModelHandler<ImageData, ClassData>(new PredictProbe(), ownsModel: true),
            new ArcWorkerOptions { Token = token });
        await using var withoutToken = await ArcWorkerHost.StartWithoutTokenForBenchmarkAsync(
            new SupervisedModelHandler<ImageData, ClassData>(new PredictProbe(), ownsModel: true));
        Console.Out.WriteLine($"{ReadyPrefix}with={withToken.Port} without={withoutToken.Port}");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
        return 0;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
