using Arc.Sdk;

namespace Arc.Models;

/// <summary>How <see cref="Finder.FindAsync{X, Y}"/> ranks and evaluates.</summary>
public sealed record FinderOptions
{
    /// <summary>The split of the job that is compared with each model's training data and evaluated on (default: test).</summary>
    public DataSplit Split { get; init; } = DataSplit.Test;

    /// <summary>How many of the closest candidates are evaluated (default 3; 0: rank by distance only).</summary>
    public int EvaluateTop { get; init; } = 3;

    /// <summary>Samples of the split summarised for the comparison, drawn at random (default 2,048; the whole split when it is smaller).</summary>
    public int SampleSize { get; init; } = 2048;

    /// <summary>The seed of that draw (default 0), so the same job and candidates give the same ranking.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The evaluation metric that ranks the evaluated candidates. Null (the default): <c>accuracy</c> when the
    /// evaluation has it, else its first metric by name.
    /// </summary>
    public string? Metric { get; init; }

    /// <summary>Whether a lower value of the metric is better (an error such as <c>mse</c>). Default: false.</summary>
    public bool LowerIsBetter { get; init; }

    /// <summary>The batch size of the evaluations (default 256).</summary>
    public int EvaluationBatchSize { get; init; } = 256;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(EvaluateTop, nameof(EvaluateTop));
        ArgumentOutOfRangeException.ThrowIfLessThan(SampleSize, 1, nameof(SampleSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(EvaluationBatchSize, 1, nameof(EvaluationBatchSize));
    }
}
