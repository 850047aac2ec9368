using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// A training loop's handle on its recording, or on none: every call does nothing when no recorder is set, so the
/// loops read the same either way. Ending never hides the loop's own error: a recording that fails while the loop
/// is already failing is dropped.
/// </summary>
internal sealed class RecordedRun
{
    private static readonly RecordedRun None = new(null, 0);
    private readonly ITrainingRecording? _recording;
    private readonly int _checkpointEvery;

    private RecordedRun(ITrainingRecording? recording, int checkpointEvery)
    {
        _recording = recording;
        _checkpointEvery = checkpointEvery;
    }

    public bool Active => _recording is not null;

    /// <summary>Starts recording <paramref name="model"/> when <paramref name="options"/> (or <c>ARC_TRACKING_URI</c>) names a recorder.</summary>
    public static async ValueTask<RecordedRun> StartAsync<X, Y>(TrainOptions options, ISupervisedModel<X, Y> model, string job, string loop,
        CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
    {
        var recorder = TrainingRecorders.Resolve(options);
        if (recorder is null) return None;
        var code = GitCodeVersion.OfProgram(model.GetType());
        var run = new TrainingRunInfo
        {
            Model = model.Name,
            Job = job,
            Hyperparameters = HyperparameterWire.Read(ModelOrigins.ParametersWire(model)),
            Environment = ArcEnvironment.Sample(),
            Device = (model as IDeviceInfo)?.DeviceName,
            Target = model is IHasCreationParameters client ? client.TargetName : "InProcess",
            GitCommit = code?.Commit,
            GitDirty = code?.Dirty ?? false,
            Options = options,
            Loop = loop,
        };
        return new RecordedRun(await TrainingRecorders.StartAsync(recorder, model, run, cancellationToken).ConfigureAwait(false), options.CheckpointEveryEpochs);
    }

    /// <summary>Whether a checkpoint is due after <paramref name="epoch"/>.</summary>
    public bool CheckpointDue(int epoch) => _recording is not null && _checkpointEvery > 0 && epoch % _checkpointEvery == 0;

    public ValueTask StepAsync(long step, int epoch, double loss, CancellationToken cancellationToken)
        => _recording?.LogStepAsync(step, epoch, loss, cancellationToken) ?? ValueTask.CompletedTask;

    public ValueTask EpochAsync(int epoch, long step, double epochLoss, CancellationToken cancellationToken)
        => _recording?.LogEpochAsync(epoch, step, EpochMetrics(epochLoss), cancellationToken) ?? ValueTask.CompletedTask;

    public ValueTask CheckpointAsync<X, Y>(ISupervisedModel<X, Y> model, long step, int epoch, double epochLoss, CancellationToken cancellationToken)
        where X : IArcData<X>
        where Y : IArcData<Y>
        => _recording?.SaveCheckpointAsync(step, epoch, model.SaveWeightsAsync, EpochMetrics(epochLoss), cancellationToken) ?? ValueTask.CompletedTask;

    public ValueTask EvaluatedAsync(EvalReport report, CancellationToken cancellationToken)
        => _recording?.LogEvaluationAsync(report, cancellationToken) ?? ValueTask.CompletedTask;

    /// <summary>Ends the recording as the loop ended: finished, or — from a catch — failed or cancelled, without masking that error.</summary>
    public async ValueTask EndAsync(Exception? failure, CancellationToken cancellationToken)
    {
        if (_recording is null) return;
        if (failure is null)
        {
            await _recording.EndAsync(TrainingOutcome.Finished, cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            await _recording.EndAsync(failure is OperationCanceledException ? TrainingOutcome.Cancelled : TrainingOutcome.Failed, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loop's own error is what the caller must see; the record stays Running.
        }
    }

    /// <summary>The metrics an epoch ends with.</summary>
    public static IReadOnlyDictionary<string, double> EpochMetrics(double epochLoss) => new Dictionary<string, double> { ["train/epoch_loss"] = epochLoss };
}
