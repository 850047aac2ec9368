namespace Arc.Sdk;

/// <summary>How a recorded training run ended.</summary>
public enum TrainingOutcome
{
    /// <summary>The planned epochs (or the time budget) ran out.</summary>
    Finished = 1,

    /// <summary>The model or the job threw.</summary>
    Failed = 2,

    /// <summary>The caller cancelled training.</summary>
    Cancelled = 3,
}
