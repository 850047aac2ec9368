namespace Arc.CommandLine;

/// <summary>
/// Receives a run's events: the console, metrics.jsonl, the plots, the log file and (when <c>--tracking</c> is given
/// and a tracking handler is registered, <see cref="ArcCommandLineApp.TrackingHandlerFactory"/>) a tracking server.
/// Called on the training loop's thread, one event at a time; keep each call short.
/// </summary>
public interface IOutputHandler : IAsyncDisposable
{
    /// <summary>The run began.</summary>
    void OnRunStarted(RunStarted e);

    /// <summary>A step ended.</summary>
    void OnStep(StepCompleted e);

    /// <summary>An epoch ended.</summary>
    void OnEpoch(EpochCompleted e);

    /// <summary>An evaluation finished.</summary>
    void OnEvaluated(Evaluated e);

    /// <summary>A log line.</summary>
    void OnLog(LogMessage e);

    /// <summary>The run ended; write what is written at the end (plots).</summary>
    Task OnRunEndedAsync(RunEnded e);
}
