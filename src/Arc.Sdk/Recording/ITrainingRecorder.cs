namespace Arc.Sdk;

/// <summary>
/// Where training reports what it does: the seam between the training loops (<see cref="SupervisedJob{X,Y}.TrainAsync"/>,
/// <see cref="Trainer{X,Y}"/>) and whatever keeps the record. <c>Arc.Tracking.Recording</c> implements it over the
/// tracking store (an experiment per run); a command line or a notebook can implement it to print or plot instead. Set
/// one on <see cref="TrainOptions.Recorder"/>, or name a tracking destination (<see cref="TrainOptions.Tracking"/>,
/// <c>ARC_TRACKING_URI</c>) and Arc opens the tracking recorder itself.
/// </summary>
public interface ITrainingRecorder
{
    /// <summary>Starts recording one model's training run; called before its first step.</summary>
    /// <exception cref="Exception">Whatever keeps the record cannot be reached; training does not start.</exception>
    ValueTask<ITrainingRecording> StartAsync(TrainingRunInfo run, CancellationToken cancellationToken = default);
}
