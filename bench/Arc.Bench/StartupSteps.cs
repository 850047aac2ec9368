using System.Diagnostics;
using System.Globalization;

namespace Arc.Bench;

/// <summary>
/// A local worker's start split into its steps, from the worker's <c>ARC-WORKER-STARTUP</c> line (monotonic-clock
/// readings at the end of each of its steps) and this process's readings (deployment started, deployment returned —
/// after the READY line and the client's Describe call, the worker's first request — and the first Predict answered).
/// The clock is the machine's, so both sides' readings compare.
/// </summary>
internal static class StartupSteps
{
    /// <summary>A new process: the worker's marks used, and each step's name.</summary>
    public static readonly (string[] Marks, string[] Names) ColdSteps = (
        ["main", "token", "assembly", "model", "listening"],
        [
            "process + runtime start (spawn → Main)",
            "token from the owner's pipe",
            "user assembly load + module initializer",
            "model construction",
            "Kestrel start (listening)",
            "READY, connect + Describe (the worker's 1st call)",
            "first Predict (the worker's 2nd call)",
        ]);

    /// <summary>A warm standby worker given its assignment.</summary>
    public static readonly (string[] Marks, string[] Names) WarmSteps = (
        ["assignment", "assembly", "model", "listening"],
        [
            "assignment over the owner's pipe",
            "user assembly load + module initializer",
            "model construction",
            "Kestrel start (listening)",
            "READY, connect + Describe (the worker's 1st call)",
            "first Predict (the worker's 2nd call)",
        ]);

    /// <summary>The steps' durations in ms.</summary>
    public static double[] Split(long start, string line, long ready, long answered, (string[] Marks, string[] Names) steps)
    {
        var marks = line[(line.IndexOf("ARC-WORKER-STARTUP ", StringComparison.Ordinal) + "ARC-WORKER-STARTUP ".Length)..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        long[] readings = [start, .. steps.Marks.Select(m => marks[m]), ready, answered];
        return readings.Zip(readings.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds).ToArray();
    }

    /// <summary>Prints each step's median over the runs.</summary>
    public static void Print(string what, (string[] Marks, string[] Names) steps, IReadOnlyList<double[]> runs)
    {
        Console.WriteLine($"  where {what} goes, median of {runs.Count} runs (ms):");
        for (int i = 0; i < steps.Names.Length; i++)
        {
            var ms = runs.Select(r => r[i]).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {steps.Names[i],-50} {ms[ms.Length / 2],8:0.0}"));
        }
    }
}
