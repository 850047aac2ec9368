namespace Arc.Tracking;

/// <summary>
/// A checkpoint an experiment is about to record: the training state at a step (and epoch), stored as a blob whose
/// sha256 names it, and the metrics at that point.
/// </summary>
public sealed record CheckpointDraft
{
    private readonly IReadOnlyDictionary<string, double> _metrics = ReadOnlyMaps.Freeze<double>(null);
    private readonly long? _epoch;

    /// <summary>A checkpoint of <paramref name="experimentId"/> at <paramref name="step"/>, whose bytes are the blob <paramref name="blobSha256"/>.</summary>
    public CheckpointDraft(string experimentId, long step, string blobSha256)
    {
        ExperimentId = TrackingNames.Id(experimentId, nameof(experimentId), "experiment id");
        Step = step >= 0 ? step : throw new ArgumentOutOfRangeException(nameof(step), step, "a checkpoint's step is 0 or more");
        BlobSha256 = TrackingNames.Sha256(blobSha256, nameof(blobSha256));
    }

    /// <summary>The experiment it belongs to.</summary>
    public string ExperimentId { get; }

    /// <summary>The training step it was taken at.</summary>
    public long Step { get; }

    /// <summary>The epoch it was taken at, when training counts epochs.</summary>
    public long? Epoch
    {
        get => _epoch;
        init => _epoch = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Epoch), value, "a checkpoint's epoch is 0 or more");
    }

    /// <summary>The sha256 of the checkpoint's bytes in the blob store.</summary>
    public string BlobSha256 { get; }

    /// <summary>The metrics at that point by key (NaN and ±infinity allowed).</summary>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get => _metrics;
        init => _metrics = CheckMetrics(value, nameof(Metrics));
    }

    internal static IReadOnlyDictionary<string, double> CheckMetrics(IReadOnlyDictionary<string, double>? value, string parameter)
        => ReadOnlyMaps.Checked(value, parameter, key => TrackingNames.Key(key, parameter, "metric key"));
}
