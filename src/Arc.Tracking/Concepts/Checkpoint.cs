namespace Arc.Tracking;

/// <summary>A recorded checkpoint of an experiment.</summary>
/// <param name="Id">The id the store gave it.</param>
/// <param name="ExperimentId">The experiment it belongs to.</param>
/// <param name="Step">The training step it was taken at.</param>
/// <param name="Epoch">The epoch, when training counts epochs.</param>
/// <param name="BlobSha256">The sha256 of its bytes in the blob store.</param>
/// <param name="CreatedAt">When it was recorded (to the microsecond).</param>
public sealed record Checkpoint(string Id, string ExperimentId, long Step, long? Epoch, string BlobSha256, DateTimeOffset CreatedAt)
{
    private readonly IReadOnlyDictionary<string, double> _metrics = ReadOnlyMaps.Freeze<double>(null);

    /// <summary>The metrics at that point by key.</summary>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get => _metrics;
        init => _metrics = ReadOnlyMaps.Freeze(value);
    }
}
