using System.Diagnostics;
using System.Globalization;

namespace Arc.Bench;

/// <summary>
/// A local worker's cold start split into its steps, from the worker's <c>ARC-WORKER-STARTUP</c> line (monotonic-clock
/// readings at Main, token read, user assembly loaded, model created, Kestrel listening) and this process's readings
/// (process started, deployment returned — after the READY line and the client's Describe call, the worker's first
/// request — and the first Predict answered). The clock is the machine's, so both sides' readings compare.
/// </summary>
internal static class StartupSteps
{
    private static readonly string[] Names =
    [
        "process + runtime start (spawn → Main)",
        "token from the owner's pipe",
        "user assembly load + module initializer",
        "model construction",
        "Kestrel start (listening)",
        "READY, connect + Describe (the worker's 1st call)",
        "first Predict (the worker's 2nd call)",
    ];

    /// <summary>The seven steps' durations in ms.</summary>
    public static double[] Split(long start, string line, long ready, long answered)
    {
        var marks = line[(line.IndexOf("ARC-WORKER-STARTUP ", StringComparison.Ordinal) + "ARC-WORKER-STARTUP ".Length)..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        long[] readings = [start, marks["main"], marks["token"], marks["assembly"], marks["model"], marks["listening"], ready, answered];
        return readings.Zip(readings.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds).ToArray();
    }

    /// <summary>Prints each step's median over the runs.</summary>
    public static void Print(IReadOnlyList<double[]> runs)
    {
        Console.WriteLine($"  where a Target.LocalProcess cold start goes, median of {runs.Count} runs (ms):");
        for (int i = 0; i < Names.Length; i++)
        {
            var ms = runs.Select(r => r[i]).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {Names[i],-50} {ms[ms.Length / 2],8:0.0}"));
        }
    }
}
