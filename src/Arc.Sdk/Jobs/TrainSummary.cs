namespace Arc.Sdk;

/// <summary>What <see cref="SupervisedJob{X,Y}.TrainAsync"/> did.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="EpochsCompleted">Full passes over the split.</param>
/// <param name="Steps">Fit calls made.</param>
/// <param name="Samples">Samples fitted, all epochs.</param>
/// <param name="LastEpochLoss">Mean loss of the last epoch (partial when the budget stopped it); NaN when no step ran.</param>
/// <param name="Duration">Wall-clock time, loading the split included.</param>
/// <param name="StoppedByBudget">Whether the time budget ended training before the planned epochs.</param>
public sealed record TrainSummary(string Model, int EpochsCompleted, long Steps, long Samples, double LastEpochLoss, TimeSpan Duration, bool StoppedByBudget);
