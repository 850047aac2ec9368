using System.Diagnostics;

namespace Arc.Bench;

/// <summary>A Stopwatch loop: warm up, then run operations repeatedly for a fixed time, in interleaved rounds.</summary>
public static class Measure
{
    private const int Rounds = 5;
    private static readonly TimeSpan MinimumWarmUp = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// Throughput of each operation in GB/s of <paramref name="bytesPerOperation"/>, measured side by side: after a
    /// warm-up, the cases take turns for five rounds that together last about <paramref name="duration"/> per case,
    /// and each case reports its median round. Taking turns exposes every case to the same machine state (the GC
    /// adapting its budgets, a noisy neighbour), so the ratios between them are fair even when absolute numbers drift.
    /// </summary>
    public static double[] GigabytesPerSecond(IReadOnlyList<Action> operations, long bytesPerOperation, TimeSpan duration)
    {
        // Warm-up: long enough for tiered compilation (with dynamic PGO) to replace tier-0 code, even in quick mode.
        foreach (var operation in operations)
        {
            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed < MinimumWarmUp || warmUp.Elapsed < duration / 3) operation();
        }

        var perRound = duration / Rounds;
        var results = new double[operations.Count][];
        for (int c = 0; c < operations.Count; c++) results[c] = new double[Rounds];
        for (int r = 0; r < Rounds; r++)
            for (int c = 0; c < operations.Count; c++)
            {
                var operation = operations[c];
                long count = 0;
                var clock = Stopwatch.StartNew();
                do
                {
                    operation();
                    count++;
                }
                while (clock.Elapsed < perRound);
                results[c][r] = bytesPerOperation * (double)count / clock.Elapsed.TotalSeconds / 1e9;
            }
        return results.Select(rounds => rounds.Order().ElementAt(Rounds / 2)).ToArray();
    }
}
