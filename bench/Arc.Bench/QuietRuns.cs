using System.Globalization;

namespace Arc.Bench;

/// <summary>
/// Runs that each start on a quiet machine: before a run it waits for the 1-minute load to fall below
/// <see cref="StartBelow"/>, and it records the load at the run's start and end. A run that ended above 1 (the load
/// average samples the runnable threads every 5 s, so a burst of the bench's own threads or a neighbour's build shows
/// up at once) is done again, up to <see cref="MaxRepeats"/> times in all; the decision depends on the load only, never
/// on what the run measured. A figure made of these runs is judged only when every run kept ended at or below 1
/// (<see cref="Highest"/>). The compared cases still take turns inside and across runs; the waits only keep one run's
/// work from spilling into the next one's load average.
/// </summary>
internal sealed class QuietRuns(double startBelow = 0.7, TimeSpan? longestWait = null)
{
    private readonly List<(double Start, double End, bool Kept)> _loads = [];
    private double _start;
    private int _repeats;

    /// <summary>The 1-minute load a run waits to fall below before it starts.</summary>
    public double StartBelow { get; } = startBelow;

    /// <summary>How many runs in all may be done again because the load rose above 1 during them.</summary>
    public int MaxRepeats { get; init; } = 6;

    /// <summary>The highest 1-minute load at the start or end of any run kept.</summary>
    public double Highest
        => _loads.Any(l => l.Kept) ? _loads.Where(l => l.Kept).Max(l => Math.Max(l.Start, l.End)) : double.PositiveInfinity;

    /// <summary>Waits for the load to fall, then records it as the next run's start.</summary>
    public async Task StartAsync()
    {
        await MachineLoad.WaitBelowAsync(StartBelow, longestWait ?? TimeSpan.FromMinutes(3));
        _start = MachineLoad.OneMinute();
    }

    /// <summary>
    /// Records the load at the end of the run started last and says whether to keep the run: false when it ended above
    /// 1 and a repeat is still allowed (the caller discards what it measured and runs it again).
    /// </summary>
    public bool End()
    {
        double end = MachineLoad.OneMinute();
        bool keep = Math.Max(_start, end) <= MachineLoad.JudgedUpTo || _repeats >= MaxRepeats;
        if (!keep) _repeats++;
        _loads.Add((_start, end, keep));
        return keep;
    }

    /// <summary>
    /// Runs <paramref name="count"/> measured runs numbered from <paramref name="first"/>, each started quiet
    /// (<see cref="StartAsync"/>) and judged at its end (<see cref="End"/>): a run whose load rose above 1 is measured
    /// again under the same number (so in the same order of cases), what it measured dropped. Returns each kept run's
    /// number and figures, in order; <paramref name="kept"/>, when given, sees each as it is kept (to print it at once).
    /// </summary>
    public async Task<List<(int Run, T Figures)>> RunAsync<T>(int first, int count, Func<int, Task<T>> measure, Action<int, T>? kept = null)
    {
        var runs = new List<(int Run, T Figures)>(count);
        for (int run = first; run < first + count;)
        {
            await StartAsync();
            T figures = await measure(run);
            if (!End()) continue; // done again
            runs.Add((run, figures));
            kept?.Invoke(run, figures);
            run++;
        }
        return runs;
    }

    /// <summary>Each run's load at its start and end, e.g. "0.52→0.61 (0.55→1.20 done again) 0.58→0.66".</summary>
    public string Describe()
        => string.Join(' ', _loads.Select(l => string.Create(CultureInfo.InvariantCulture,
            $"{(l.Kept ? "" : "(")}{l.Start:0.00}→{l.End:0.00}{(l.Kept ? "" : " done again)")}")));
}
