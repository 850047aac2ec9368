namespace Arc.Sdk;

/// <summary>Settings of <see cref="SupervisedJob{X,Y}.TrainAsync"/>.</summary>
public sealed record TrainOptions
{
    /// <summary>Passes over the training split (at most; <see cref="Budget"/> may stop earlier). Default 1.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Samples per step. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The split to fit on. Default <see cref="DataSplit.Train"/>.</summary>
    public DataSplit Split { get; init; } = DataSplit.Train;

    /// <summary>Epoch e (from 1) shuffles with seed <c>ShuffleSeed + e - 1</c>; null keeps the stored order. Default 0.</summary>
    public int? ShuffleSeed { get; init; } = 0;

    /// <summary>Wall-clock limit, checked before every step; null for none.</summary>
    public TimeSpan? Budget { get; init; }

    internal void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "train for at least one epoch");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "a batch holds at least one sample");
        if (Budget is TimeSpan b && b < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Budget), b, "the time budget cannot be negative");
    }
}
