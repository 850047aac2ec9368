namespace Arc.CommandLine;

/// <summary>A run began: what it trains or evaluates and where it writes.</summary>
/// <param name="Command">train or eval.</param>
/// <param name="Model">The model's registered name.</param>
/// <param name="Job">The job's registered name.</param>
/// <param name="RunFolder">The run folder (config.json, metrics.jsonl, plots, checkpoints, log).</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="BatchesPerEpoch">Steps in a full epoch.</param>
/// <param name="FirstStep">The step the run starts after (0, or the checkpoint's step when resumed).</param>
/// <param name="Parameters">Every option of the run (config.json), for tracking.</param>
public sealed record RunStarted(string Command, string Model, string Job, string RunFolder, int Epochs, int BatchesPerEpoch, long FirstStep,
    IReadOnlyDictionary<string, object?> Parameters);

/// <summary>One training step done.</summary>
/// <param name="Step">Steps so far, from 1, resumed runs included.</param>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Batch">The step within the epoch, from 1.</param>
/// <param name="Loss">This step's loss.</param>
/// <param name="Samples">Samples fitted so far.</param>
/// <param name="SamplesPerSecond">Throughput since this process started training.</param>
/// <param name="Elapsed">Time since this process started training.</param>
public sealed record StepCompleted(long Step, int Epoch, int Batch, double Loss, long Samples, double SamplesPerSecond, TimeSpan Elapsed);

/// <summary>An epoch ended and the model was evaluated.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Step">Steps so far.</param>
/// <param name="MeanLoss">The epoch's mean training loss (of the steps this process ran).</param>
/// <param name="Metrics">The evaluation's metrics (accuracy, …); empty when the job has no evaluation split.</param>
public sealed record EpochCompleted(int Epoch, long Step, double MeanLoss, IReadOnlyDictionary<string, double> Metrics);

/// <summary>An evaluation report (at the end of training or from <c>eval</c>).</summary>
/// <param name="Report">The report, with a confusion matrix for classifiers.</param>
public sealed record Evaluated(Arc.Sdk.EvalReport Report);

/// <summary>A line for the log.</summary>
/// <param name="Level">Its level.</param>
/// <param name="Message">The text.</param>
public sealed record LogMessage(LogLevel Level, string Message);

/// <summary>The run ended.</summary>
/// <param name="Outcome">completed, interrupted, budget, or failed.</param>
/// <param name="Steps">Steps so far.</param>
/// <param name="Duration">This process's time.</param>
public sealed record RunEnded(string Outcome, long Steps, TimeSpan Duration);

/// <summary>Log levels of <c>--log-level</c>.</summary>
public enum LogLevel
{
    /// <summary>Everything, with per-step detail.</summary>
    Debug,
    /// <summary>Progress and results (the default).</summary>
    Info,
    /// <summary>Only what went wrong or may surprise.</summary>
    Warning,
    /// <summary>Only failures.</summary>
    Error,
}
