using System.Diagnostics;
using System.Globalization;
using Arc.Remote;

namespace Arc.Worker;

/// <summary>
/// The steps of this worker's start as readings of the monotonic clock, written as one <c>ARC-WORKER-STARTUP</c> line
/// to stderr when <c>ARC_WORKER_STARTUP_TIMES=1</c> (<see cref="WorkerEnvironment.StartupTimes"/>). Readings rather
/// than durations: the caller holds the reading taken when it started the process, so it can tell the process's and
/// runtime's start (before Main) from the steps after.
/// </summary>
internal sealed class WorkerStartupTimes
{
    private readonly List<(string Step, long Timestamp)> _steps = [];

    private WorkerStartupTimes() => Mark("main");

    /// <summary>A recorder when the environment asks for one, else null.</summary>
    public static WorkerStartupTimes? FromEnvironment()
        => Environment.GetEnvironmentVariable(WorkerEnvironment.StartupTimes) == "1" ? new WorkerStartupTimes() : null;

    /// <summary>Notes that <paramref name="step"/> has just ended.</summary>
    public void Mark(string step) => _steps.Add((step, Stopwatch.GetTimestamp()));

    /// <summary>Writes the line, e.g. <c>ARC-WORKER-STARTUP main=… token=… assembly=… model=… listening=…</c>.</summary>
    public void Report(TextWriter error)
        => error.WriteLine("ARC-WORKER-STARTUP " + string.Join(' ', _steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Step}={s.Timestamp}"))));
}
