namespace Arc.CommandLine;

/// <summary>The handlers <c>--outputs</c> names (console, metrics, plots, log) and the tracking handler for <c>--tracking</c>.</summary>
internal static class OutputHandlers
{
    public static readonly string[] Known = ["console", "metrics", "plots", "log", "tensorboard"];

    public static List<IOutputHandler> Create(IReadOnlyList<string> names, string runFolder, string? tracking)
    {
        var chosen = names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(n => n.ToLowerInvariant()).Distinct().ToList();
        foreach (var name in chosen.Where(n => !Known.Contains(n)))
            throw new CommandLineException($"--outputs: '{name}' is not an output; use {string.Join(", ", Known)}", ArcCommandLineApp.UsageExitCode);
        string metrics = Path.Combine(runFolder, "metrics.jsonl");
        var handlers = new List<IOutputHandler>();
        if (chosen.Contains("console")) handlers.Add(new ConsoleOutputHandler(live: ConsoleOutputHandler.IsInteractiveTerminal()));
        if (chosen.Contains("metrics") || chosen.Contains("plots")) handlers.Add(new MetricsJsonlHandler(metrics)); // the plots read it back
        if (chosen.Contains("log")) handlers.Add(new LogFileHandler(Path.Combine(runFolder, "log.txt")));
        if (chosen.Contains("plots")) handlers.Add(new PlotsHandler(Path.Combine(runFolder, "plots"), metrics));
        if (chosen.Contains("tensorboard")) handlers.Add(new TensorBoardHandler(Path.Combine(runFolder, "tensorboard")));
        if (tracking is not null)
        {
            // The destination is checked now, before any training: a typo ends the command with usage, not a lost record.
            if (ArcCommandLineApp.TrackingHandlerFactory is { } factory) handlers.Add(new DeferredTrackingHandler(factory, tracking));
            else handlers.Add(RecordingOutputHandler.ForDestination(tracking));
        }
        return handlers;
    }
}

/// <summary>Creates the tracking handler when the run starts (it needs the run's name and parameters) and forwards every event to it.</summary>
internal sealed class DeferredTrackingHandler(Func<string, RunStarted, IOutputHandler> factory, string tracking) : IOutputHandler
{
    private IOutputHandler? _inner;

    public void OnRunStarted(RunStarted e)
    {
        _inner = factory(tracking, e);
        _inner.OnRunStarted(e);
    }

    public void OnStep(StepCompleted e) => _inner?.OnStep(e);

    public void OnEpoch(EpochCompleted e) => _inner?.OnEpoch(e);

    public void OnEvaluated(Evaluated e) => _inner?.OnEvaluated(e);

    public void OnLog(LogMessage e) => _inner?.OnLog(e);

    public Task OnRunEndedAsync(RunEnded e) => _inner?.OnRunEndedAsync(e) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _inner?.DisposeAsync() ?? ValueTask.CompletedTask;
}
