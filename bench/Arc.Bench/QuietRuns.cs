using System.Globalization;

namespace Arc.Bench;

/// <summary>
/// Runs that each start on a quiet machine: before a run it waits for the 1-minute load to fall below
/// <see cref="StartBelow"/>, and it records the load at the run's start and end. A figure made of these runs is judged
/// only when no run ended above 1 (<see cref="Highest"/>). The compared cases still take turns inside and across runs;
/// the waits only keep one run's work from spilling into the next one's load average.
/// </summary>
internal sealed class QuietRuns(double startBelow = 0.7, TimeSpan? longestWait = null)
{
    private readonly List<(double Start, double End)> _loads = [];
    private double _start;

    /// <summary>The 1-minute load a run waits to fall below before it starts.</summary>
    public double StartBelow { get; } = startBelow;

    /// <summary>The highest 1-minute load at the start or end of any run.</summary>
    public double Highest => _loads.Count == 0 ? double.PositiveInfinity : _loads.Max(l => Math.Max(l.Start, l.End));

    /// <summary>Waits for the load to fall, then records it as the next run's start.</summary>
    public async Task StartAsync()
    {
        await MachineLoad.WaitBelowAsync(StartBelow, longestWait ?? TimeSpan.FromMinutes(3));
        _start = MachineLoad.OneMinute();
    }

    /// <summary>Records the load at the end of the run started last.</summary>
    public void End() => _loads.Add((_start, MachineLoad.OneMinute()));

    /// <summary>Each run's load at its start and end, e.g. "0.52→0.61 0.58→0.66".</summary>
    public string Describe()
        => string.Join(' ', _loads.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Start:0.00}→{l.End:0.00}")));
}
