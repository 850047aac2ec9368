using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Arc.Types;

namespace Arc.CommandLine;

/// <summary>
/// <c>--profile</c>: keeps every phase of every step (<see cref="StepPhase"/>; the model reports copy, compute and
/// read-back through <see cref="IStepPhaseSource"/>, the training loop the wait for data), then writes a summary
/// (count, mean, p50, p99, share of the step time) and a Chrome trace (<c>profile.trace.json</c>, opened by Perfetto
/// or chrome://tracing) with one slice per phase.
/// </summary>
internal sealed class StepProfiler : IStepPhaseRecorder
{
    private readonly List<(StepPhase Phase, long Start, long End)> _slices = new(capacity: 4096);
    private readonly long _origin = Stopwatch.GetTimestamp();

    public void Record(StepPhase phase, long start, long end)
    {
        lock (_slices) _slices.Add((phase, start, end));
    }

    /// <summary>The summary table, one row per phase.</summary>
    public string Summary()
    {
        List<(StepPhase Phase, long Start, long End)> slices;
        lock (_slices) slices = [.. _slices];
        double total = slices.Sum(s => Milliseconds(s.End - s.Start));
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"phase",-14} {"count",7} {"mean ms",9} {"p50 ms",9} {"p99 ms",9} {"share",7}"));
        foreach (var phase in Enum.GetValues<StepPhase>())
        {
            var times = slices.Where(s => s.Phase == phase).Select(s => Milliseconds(s.End - s.Start)).Order().ToArray();
            if (times.Length == 0) continue;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{Name(phase),-14} {times.Length,7} {times.Average(),9:0.000} {Percentile(times, 0.50),9:0.000} {Percentile(times, 0.99),9:0.000} {(total > 0 ? times.Sum() / total : 0),7:P1}"));
        }
        return text.ToString();
    }

    /// <summary>Writes the Chrome trace event format: complete events ("ph":"X") in microseconds since the run started.</summary>
    public void WriteTrace(string path)
    {
        List<(StepPhase Phase, long Start, long End)> slices;
        lock (_slices) slices = [.. _slices];
        var events = slices.Select(s => new Dictionary<string, object>
        {
            ["name"] = Name(s.Phase),
            ["cat"] = "step",
            ["ph"] = "X",
            ["ts"] = Microseconds(s.Start - _origin),
            ["dur"] = Microseconds(s.End - s.Start),
            ["pid"] = Environment.ProcessId,
            ["tid"] = 1,
        });
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object> { ["traceEvents"] = events, ["displayTimeUnit"] = "ms" }));
    }

    public static string Name(StepPhase phase) => phase switch
    {
        StepPhase.WaitForData => "wait for data",
        StepPhase.CopyToDevice => "copy to device",
        StepPhase.Compute => "compute",
        _ => "read loss",
    };

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Microseconds(long ticks) => Math.Round(ticks * 1_000_000.0 / Stopwatch.Frequency, 3);
}
