using System.Diagnostics;
using System.Globalization;
using Arc.Remote;
using Arc.Sdk;
using Arc.Types;

namespace Arc.Bench.Remote;

/// <summary>
/// Case (d): a failing call against a successful one, through a worker process (<c>Target.LocalProcess</c>, model
/// <see cref="FailureProbe"/>): the model throws (<see cref="ArcRemoteException"/>), the model refuses its argument
/// (<see cref="ArgumentException"/>), the caller's token is cancelled (<see cref="OperationCanceledException"/>), and a
/// null argument (refused before anything is sent). A failed call must return as fast as a successful one: the target
/// is a p50 ratio ≤ 2× (docs/errors.md, "Failures return at once"). The cases take turns in blocks, and the whole is
/// repeated in runs whose medians are reported with /proc/loadavg before and after.
/// </summary>
public static class FailingCalls
{
    /// <summary>The ratio a failing call's p50 may reach over a successful one's.</summary>
    private const double TargetRatio = 2.0;

    /// <summary>Runs the case and prints p50/p99 per kind of call and each failing kind's ratio to success.</summary>
    public static async Task RunAsync(BenchOptions options)
    {
        int runs = options.Quick ? 1 : 5, blocks = options.Quick ? 2 : 10, perBlock = options.Quick ? 25 : 100, warmUp = options.Quick ? 50 : 500;
        var registration = (ModelRegistration<FailureProbe, FailureProbe.Hyperparameters, ImageData, ClassData>)ArcRegistry.GetModel("failureprobe");
        await using var model = await registration.DeployAsync(Target.LocalProcess, new FailureProbe.Hyperparameters());
        var good = Sample(0.5f);
        var throwing = Sample(FailureProbe.ModelError);
        var refused = Sample(FailureProbe.ArgumentError);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        (string Name, Type? Expected, Func<Task> Call)[] cases =
        [
            ("successful Predict", null, async () => await model.PredictAsync(good)),
            ("model throws → ArcRemoteException", typeof(ArcRemoteException), async () => await model.PredictAsync(throwing)),
            ("model refuses x → ArgumentException", typeof(ArgumentException), async () => await model.PredictAsync(refused)),
            ("cancelled token → OperationCanceledException (not sent)", typeof(OperationCanceledException), async () => await model.PredictAsync(good, cancelled.Token)),
            ("null x → ArgumentNullException (not sent)", typeof(ArgumentNullException), async () => await model.PredictAsync(null!)),
        ];
        // Sanity, and warm-up: each case fails exactly as the contract says, or succeeds.
        foreach (var (name, expected, call) in cases)
            for (int i = 0; i < warmUp; i++)
            {
                var error = await Record(call);
                if (error?.GetType() != expected)
                    throw new InvalidOperationException($"{name}: expected {expected?.Name ?? "success"}, got {error?.GetType().Name ?? "success"}", error);
            }

        string loadBefore = MachineLoad.Line();
        var quiet = new QuietRuns(startBelow: options.Quick ? double.PositiveInfinity : 0.7);
        var p50 = cases.Select(_ => new List<double>()).ToArray();
        var p99 = cases.Select(_ => new List<double>()).ToArray();
        var kept = await quiet.RunAsync(0, runs, async run =>
        {
            var latencies = cases.Select(_ => new List<double>(blocks * perBlock)).ToArray();
            for (int b = 0; b < blocks; b++)
                for (int k = 0; k < cases.Length; k++)
                {
                    int c = (k + b + run) % cases.Length; // every case goes first in turn
                    for (int i = 0; i < perBlock; i++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        await Record(cases[c].Call);
                        latencies[c].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                    }
                }
            return latencies;
        });
        foreach (var (_, latencies) in kept)
            for (int c = 0; c < cases.Length; c++)
            {
                p50[c].Add(Percentile(latencies[c], 0.50));
                p99[c].Add(Percentile(latencies[c], 0.99));
            }
        string loadAfter = MachineLoad.Line();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(d) a failing call vs a successful one: typed Predict 1×1×28×28 through a worker process, {runs} run(s) of {blocks} interleaved blocks × {perBlock} sequential calls per case, µs (median of runs)"));
        Console.WriteLine($"    loadavg before: {loadBefore}");
        Console.WriteLine($"    {"case",-56} {"p50",9} {"p99",9} {"p50 / success",14}");
        double success = Statistics.Median(p50[0]);
        double worst = 0;
        for (int c = 0; c < cases.Length; c++)
        {
            double ratio = Statistics.Median(p50[c]) / success;
            if (c > 0) worst = Math.Max(worst, ratio);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {cases[c].Name,-56} {Statistics.Median(p50[c]),9:0} {Statistics.Median(p99[c]),9:0} {(c == 0 ? "" : $"{ratio:0.00}×"),14}"));
        }
        Console.WriteLine($"    loadavg after: {loadAfter}");
        Console.WriteLine($"    1-minute load at each run's start→end: {quiet.Describe()}");
        string verdict = MachineLoad.Verdict(worst <= TargetRatio, quiet.Highest);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    slowest failing case p50 / successful p50: {worst:0.00}× (target ≤ {TargetRatio:0.0}×: {verdict})"));
    }

    private static ImageData Sample(float first)
    {
        var pixels = new float[784];
        pixels[0] = first;
        return new ImageData(ArcArray.From(pixels, 1, 1, 28, 28));
    }

    private static async Task<Exception?> Record(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
