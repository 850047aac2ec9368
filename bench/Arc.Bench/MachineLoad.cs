using System.Diagnostics;
using System.Globalization;

namespace Arc.Bench;

/// <summary>
/// The machine's 1-minute load average (/proc/loadavg), the one test of whether a figure is judged: a ratio taken
/// while it stood above 1 had another process competing for the cores (or the bench's own earlier work still in the
/// average) and is printed "not judged", never "met". Every group prints the line before and after it runs.
/// </summary>
internal static class MachineLoad
{
    /// <summary>The load above which a figure is not judged.</summary>
    public const double JudgedUpTo = 1.0;

    /// <summary>The whole /proc/loadavg line (1, 5 and 15 minutes, runnable/all tasks, last pid), or "n/a".</summary>
    public static string Line() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    /// <summary>The 1-minute average; +∞ where it cannot be read, so an unknown load is never judged quiet.</summary>
    public static double OneMinute() => OneMinute(Line());

    /// <summary>The 1-minute average of a /proc/loadavg line.</summary>
    public static double OneMinute(string line)
        => double.TryParse(line.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double load) ? load : double.PositiveInfinity;

    /// <summary>
    /// Waits (up to <paramref name="longest"/>) for the 1-minute average to fall below <paramref name="below"/>, and
    /// says how long it waited. The average decays with a one-minute time constant, so a bench that kept both cores
    /// busy leaves it near 2 for a while: short runs that each start below ~0.7 end below 1, and what they measure
    /// had the cores to itself.
    /// </summary>
    public static async Task WaitBelowAsync(double below, TimeSpan longest, string indent = "    ")
    {
        var waited = Stopwatch.StartNew();
        while (OneMinute() >= below && waited.Elapsed < longest) await Task.Delay(TimeSpan.FromSeconds(2));
        if (waited.Elapsed >= TimeSpan.FromSeconds(2))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{indent}(waited {waited.Elapsed.TotalSeconds:0} s for the load average to fall below {below:0.0}; now {Line()})"));
    }

    /// <summary>"met", "NOT met", or "not judged" when the highest load seen during the measurement was above 1.</summary>
    public static string Verdict(bool met, double highestLoad)
        => highestLoad > JudgedUpTo
            ? string.Create(CultureInfo.InvariantCulture, $"not judged: loadavg {highestLoad:0.00} > 1, the machine was shared")
            : met ? "met" : "NOT met";
}
