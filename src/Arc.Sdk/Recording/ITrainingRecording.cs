namespace Arc.Sdk;

/// <summary>
/// One model's training run being recorded (see <see cref="ITrainingRecorder"/>). The training loop calls the methods
/// in order — steps and epochs, checkpoints, then <see cref="EndAsync"/>; the evaluation and a saved artifact of the
/// same model object may follow after the end (<see cref="SupervisedJob{X,Y}.EvaluateAsync(Arc.Types.ISupervisedModel{X,Y}, DataSplit, int, CancellationToken)"/>
/// and <see cref="ModelArtifacts"/> report them to the model's latest recording). Calls of one recording never overlap.
/// </summary>
public interface ITrainingRecording
{
    /// <summary>Where the record goes, for people: e.g. <c>experiment mlpclassifier-20261204-101500-3f2a in file:/home/me/.arc/tracking</c>.</summary>
    string Description { get; }

    /// <summary>A step (fit call) finished; <paramref name="step"/> counts from 1 over all epochs. May wait (back-pressure), never for a round trip per step.</summary>
    ValueTask LogStepAsync(long step, int epoch, double loss, CancellationToken cancellationToken = default);

    /// <summary>Epoch <paramref name="epoch"/> ended at <paramref name="step"/> with these metrics (e.g. <c>train/epoch_loss</c>).</summary>
    ValueTask LogEpochAsync(int epoch, long step, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken = default);

    /// <summary>
    /// A checkpoint is due (every <see cref="TrainOptions.CheckpointEveryEpochs"/> epochs): <paramref name="writeWeights"/>
    /// writes the model's weights as they are after <paramref name="step"/> (the model is idle while it runs).
    /// </summary>
    ValueTask SaveCheckpointAsync(long step, int epoch, Func<Stream, CancellationToken, ValueTask> writeWeights,
        IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken = default);

    /// <summary>Training ended: every point logged so far is stored before this returns.</summary>
    ValueTask EndAsync(TrainingOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>The model was evaluated (after training, or during it).</summary>
    ValueTask LogEvaluationAsync(EvalReport report, CancellationToken cancellationToken = default);

    /// <summary>The model was saved as an artifact at <paramref name="reference"/> (an OCI reference), with the report kept in it if any.</summary>
    ValueTask LogSavedModelAsync(string reference, EvalReport? evaluation, CancellationToken cancellationToken = default);
}
