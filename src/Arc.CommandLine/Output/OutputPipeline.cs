namespace Arc.CommandLine;

/// <summary>Feeds every event to each handler in order; a handler that throws is reported and dropped, so one broken output never stops training.</summary>
internal sealed class OutputPipeline(IReadOnlyList<IOutputHandler> handlers, LogLevel level) : IAsyncDisposable
{
    private readonly List<IOutputHandler> _handlers = [.. handlers];

    public void RunStarted(RunStarted e) => Each(h => h.OnRunStarted(e));

    public void Step(StepCompleted e) => Each(h => h.OnStep(e));

    public void Epoch(EpochCompleted e) => Each(h => h.OnEpoch(e));

    public void Evaluated(Evaluated e) => Each(h => h.OnEvaluated(e));

    public void Log(LogLevel messageLevel, string message)
    {
        if (messageLevel >= level)
            Each(h => h.OnLog(new LogMessage(messageLevel, message)));
    }

    public async Task RunEndedAsync(RunEnded e)
    {
        foreach (var handler in _handlers.ToList())
        {
            try
            {
                await handler.OnRunEndedAsync(e).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException or ArgumentException)
            {
                Drop(handler, ex);
            }
        }
    }

    private void Each(Action<IOutputHandler> call)
    {
        foreach (var handler in _handlers.ToList())
        {
            try
            {
                call(handler);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException or ArgumentException)
            {
                Drop(handler, ex);
            }
        }
    }

    private void Drop(IOutputHandler handler, Exception ex)
    {
        _handlers.Remove(handler);
        Console.Error.WriteLine($"warning: output {handler.GetType().Name} failed and is switched off for this run: {ex.Message}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var handler in handlers)
            await handler.DisposeAsync().ConfigureAwait(false);
    }
}
