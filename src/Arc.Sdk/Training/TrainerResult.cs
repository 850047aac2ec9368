using Arc.Types;

namespace Arc.Sdk;

/// <summary>One model's outcome in a <see cref="Trainer{X,Y}"/> run.</summary>
/// <param name="Model">The model trained.</param>
/// <param name="Report">Its evaluation; null when it failed.</param>
/// <param name="Error">What made it fail (in a fit or in its evaluation); null when it finished.</param>
/// <param name="Steps">Fit calls that succeeded.</param>
public sealed record TrainerEntry<X, Y>(ISupervisedModel<X, Y> Model, EvalReport? Report, Exception? Error, long Steps)
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    /// <summary>Whether the model threw and was dropped.</summary>
    public bool Failed => Error is not null;
}

/// <summary>What <see cref="Trainer{X,Y}.TrainAsync"/> did: every model's entry, best first.</summary>
/// <param name="Entries">Evaluated models ranked by <paramref name="Metric"/> (higher first), then failed models in the order given.</param>
/// <param name="Metric">The metric ranked by (see <see cref="Trainer{X,Y}"/>); null when no model was evaluated.</param>
/// <param name="EpochsCompleted">Full passes over the split.</param>
/// <param name="StoppedByBudget">Whether the time budget ended training before the planned epochs.</param>
/// <param name="Duration">Wall-clock time, evaluation included.</param>
public sealed record TrainerResult<X, Y>(IReadOnlyList<TrainerEntry<X, Y>> Entries, string? Metric, int EpochsCompleted, bool StoppedByBudget, TimeSpan Duration)
    where X : IArcData<X>
    where Y : IArcData<Y>
{
    /// <summary>The best evaluated model's entry; null when every model failed.</summary>
    public TrainerEntry<X, Y>? Best => Entries.Count > 0 && !Entries[0].Failed ? Entries[0] : null;
}
