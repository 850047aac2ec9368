using Arc.Sdk;

namespace Arc.CommandLine;

/// <summary>
/// <c>--tracking &lt;uri&gt;</c>: records a run of the command line through a <see cref="ITrainingRecorder"/> (by default
/// Arc.Tracking.Recording's, <see cref="TrainingRecorders.ForDestination"/>), the same record <c>TrainAsync</c> writes:
/// an experiment with the model's parameters (typed), the job's as <c>job.*</c>, the training settings as <c>train.*</c>
/// and the environment; <c>train/loss</c> per step; <c>train/epoch_loss</c> and the epoch's evaluation as
/// <c>eval/&lt;metric&gt;</c> per epoch; the final evaluation report; and how the run ended.
/// </summary>
/// <remarks>
/// Handlers are called synchronously on the training loop; the recorder buffers points and sends them in the background,
/// so a call waits only when its buffer is full (back-pressure, nothing dropped).
/// </remarks>
internal sealed class RecordingOutputHandler(ITrainingRecorder recorder) : IOutputHandler
{
    private ITrainingRecording? _recording;
    private bool _ended;

    /// <summary>The handler of <paramref name="destination"/>, refused at once when it is not one (before any training).</summary>
    public static RecordingOutputHandler ForDestination(string destination)
    {
        try
        {
            return new RecordingOutputHandler(TrainingRecorders.ForDestination(destination));
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException($"--tracking: {e.Message}", ArcCommandLineApp.UsageExitCode);
        }
    }

    public void OnRunStarted(RunStarted e)
    {
        var hyperparameters = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in e.Parameters)
        {
            if (value is null) continue;
            if (key.StartsWith(RunParameters.ModelPrefix, StringComparison.Ordinal)) hyperparameters[key[RunParameters.ModelPrefix.Length..]] = Typed(value);
            else if (key.StartsWith(RunParameters.JobPrefix, StringComparison.Ordinal)) hyperparameters[key] = Typed(value);
        }
        var options = new TrainOptions
        {
            Epochs = e.Epochs,
            BatchSize = e.Parameters.TryGetValue(RunParameters.BatchSize, out var batch) && batch is int size ? size : new TrainOptions().BatchSize,
            ShuffleSeed = e.Parameters.TryGetValue(RunParameters.Seed, out var seed) && seed is int s ? s : null,
        };
        Wait(StartAsync(new TrainingRunInfo
        {
            Model = e.Model,
            Job = e.Job,
            Hyperparameters = hyperparameters,
            Environment = ArcEnvironment.Sample(),
            Target = "InProcess",
            Options = options,
            Loop = "command line " + e.Command,
        }));
    }

    public void OnStep(StepCompleted e)
    {
        if (_recording is { } recording) Wait(recording.LogStepAsync(e.Step, e.Epoch, e.Loss));
    }

    public void OnEpoch(EpochCompleted e)
    {
        if (_recording is not { } recording) return;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["train/epoch_loss"] = e.MeanLoss };
        foreach (var (key, value) in e.Metrics) metrics["eval/" + key] = value;
        Wait(recording.LogEpochAsync(e.Epoch, e.Step, metrics));
    }

    public void OnEvaluated(Evaluated e)
    {
        if (_recording is { } recording) Wait(recording.LogEvaluationAsync(e.Report));
    }

    public void OnLog(LogMessage e)
    {
    }

    public async Task OnRunEndedAsync(RunEnded e)
    {
        if (_recording is not { } recording || _ended) return;
        _ended = true;
        var outcome = e.Outcome switch
        {
            "completed" or "budget" => TrainingOutcome.Finished,
            "interrupted" => TrainingOutcome.Cancelled,
            _ => TrainingOutcome.Failed,
        };
        await recording.EndAsync(outcome).ConfigureAwait(false);
    }

    /// <summary>A run that never reported its end (the loop threw) is recorded as failed, not left running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_recording is { } recording && !_ended)
        {
            _ended = true;
            await recording.EndAsync(TrainingOutcome.Failed).ConfigureAwait(false);
        }
    }

    private async Task StartAsync(TrainingRunInfo run) => _recording = await recorder.StartAsync(run).ConfigureAwait(false);

    /// <summary>The recorder's types: whole numbers as long, fractions as double, flags as bool, anything else as its text.</summary>
    private static object Typed(object value) => value switch
    {
        int or long or short or byte or uint or ushort or sbyte => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        float or double or decimal => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        bool b => b,
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    private static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully) pending.AsTask().GetAwaiter().GetResult();
    }

    private static void Wait(Task pending) => pending.GetAwaiter().GetResult();
}
