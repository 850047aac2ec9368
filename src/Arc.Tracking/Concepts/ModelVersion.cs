namespace Arc.Tracking;

/// <summary>A trained version of a registered model as a store keeps it.</summary>
/// <param name="Id">The id the store gave it.</param>
/// <param name="ModelId">The model it is a version of.</param>
/// <param name="Namespace">The model's namespace.</param>
/// <param name="Version">Its number within the model: 1, 2, 3…</param>
/// <param name="ArtifactReference">The OCI artifact that holds it, when saved as one.</param>
/// <param name="Lineage">Where it came from.</param>
/// <param name="CreatedAt">When it was added (to the microsecond).</param>
public sealed record ModelVersion(string Id, string ModelId, string Namespace, int Version, string? ArtifactReference, ModelLineage Lineage, DateTimeOffset CreatedAt)
{
    private readonly IReadOnlyList<FileRef> _files = [];
    private readonly IReadOnlyDictionary<string, double> _metrics = ReadOnlyMaps.Freeze<double>(null);
    private readonly IReadOnlyDictionary<string, string> _labels = ReadOnlyMaps.Freeze<string>(null);

    /// <summary>Its files: those it was created with and those attached since, by name.</summary>
    public IReadOnlyList<FileRef> Files
    {
        get => _files;
        init => _files = (value ?? []).ToArray();
    }

    /// <summary>Its metrics by key.</summary>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get => _metrics;
        init => _metrics = ReadOnlyMaps.Freeze(value);
    }

    /// <summary>Its labels now.</summary>
    public IReadOnlyDictionary<string, string> Labels
    {
        get => _labels;
        init => _labels = ReadOnlyMaps.Freeze(value);
    }
}
