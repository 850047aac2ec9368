using Arc.Artifacts;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>How <see cref="Trainer.TrainAsync{X, Y}"/> trains saved models and saves the trained copies.</summary>
public sealed record ArtifactTrainingOptions
{
    /// <summary>Epochs, batch size, shuffling, budget; null: the defaults of <see cref="TrainOptions"/>.</summary>
    public TrainOptions? Train { get; init; }

    /// <summary>The split every model is evaluated on. Default <see cref="DataSplit.Test"/>.</summary>
    public DataSplit EvaluationSplit { get; init; } = DataSplit.Test;

    /// <summary>Where the trained copies are saved (a repository, without tag); null: each parent's own repository.</summary>
    public ArtifactReference? Repository { get; init; }

    /// <summary>How the saved models are pulled and started (registry, bundle cache, trust policy); also how a registry <see cref="Repository"/> is reached.</summary>
    public SavedModelOptions? Connect { get; init; }

    /// <summary>When given, every trained copy is signed with it (see <see cref="ModelArtifacts"/>).</summary>
    public ArtifactSigningKey? SigningKey { get; init; }
}

/// <summary>One saved model's outcome in <see cref="Trainer.TrainAsync{X, Y}"/>.</summary>
/// <param name="Parent">The saved model it started from, pinned by digest.</param>
/// <param name="Saved">The trained copy (its config's <c>parent</c> names <paramref name="Parent"/>); null when it failed.</param>
/// <param name="Report">Its evaluation after training (also saved in the copy); null when it failed.</param>
/// <param name="Error">What made it fail (in a fit, its evaluation or its save); null when it finished.</param>
/// <param name="Steps">Fit calls that succeeded.</param>
/// <param name="ProcessId">The worker process it ran in, when it ran in one on this machine.</param>
public sealed record TrainedArtifact(ArtifactReference Parent, ArtifactReference? Saved, EvalReport? Report, Exception? Error, long Steps, int? ProcessId)
{
    /// <summary>Whether the model failed and was dropped (nothing was saved for it).</summary>
    public bool Failed => Error is not null;
}

/// <summary>What <see cref="Trainer.TrainAsync{X, Y}"/> did: every saved model's entry, best first.</summary>
/// <param name="Entries">Trained models ranked by <paramref name="Metric"/> (higher first), then failed ones in the order given.</param>
/// <param name="Metric">The metric ranked by (as <see cref="Trainer{X, Y}"/> ranks); null when no model was evaluated.</param>
/// <param name="EpochsCompleted">Full passes over the split.</param>
/// <param name="StoppedByBudget">Whether the time budget ended training before the planned epochs.</param>
/// <param name="Duration">Wall-clock time: starting the models, training, evaluating and saving.</param>
public sealed record ArtifactTrainingResult(IReadOnlyList<TrainedArtifact> Entries, string? Metric, int EpochsCompleted, bool StoppedByBudget, TimeSpan Duration)
{
    /// <summary>The best trained model's entry; null when every model failed.</summary>
    public TrainedArtifact? Best => Entries.Count > 0 && !Entries[0].Failed ? Entries[0] : null;
}
