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

    /// <summary>The environment variable that names a tracking destination when <see cref="Tracking"/> is not set.</summary>
    public const string TrackingEnvironmentVariable = "ARC_TRACKING_URI";

    /// <summary>
    /// Where training records itself (docs/tracking.md): <c>file:&lt;folder&gt;</c> for the embedded SQLite store in this
    /// process (<c>file:</c> alone for <c>~/.arc/tracking</c>), or <c>http://host:port</c> for a tracking server. Null
    /// (the default) reads <c>ARC_TRACKING_URI</c>; when both are unset nothing is recorded. Recording needs the
    /// <c>Arc.Tracking.Recording</c> assembly next to the program (a package reference).
    /// </summary>
    public string? Tracking { get; init; }

    /// <summary>A recorder of your own (a console, a plot…); wins over <see cref="Tracking"/>. Null for none.</summary>
    public ITrainingRecorder? Recorder { get; init; }

    /// <summary>
    /// When recording, save a checkpoint (the model's weights as a blob, with the epoch's loss) after every this-many
    /// epochs; 0 (the default) for none. A remote model pipelines its steps, so training drains the pipeline at each
    /// checkpoint to save the weights of exactly that epoch.
    /// </summary>
    public int CheckpointEveryEpochs { get; init; }

    internal void Validate()
    {
        if (CheckpointEveryEpochs < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEveryEpochs), CheckpointEveryEpochs, "checkpoint every 0 (never) or more epochs");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "train for at least one epoch");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "a batch holds at least one sample");
        if (Budget is TimeSpan b && b < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Budget), b, "the time budget cannot be negative");
    }
}
