namespace Arc.Tracking;

/// <summary>
/// A trained version about to be added to a model: its bytes as blobs (files) or as an OCI artifact reference, its
/// metrics, labels and lineage. The store numbers it: 1 for the first version of a model, then one more each time.
/// </summary>
public sealed record ModelVersionDraft
{
    private readonly string? _artifactReference;
    private readonly IReadOnlyList<FileRef> _files = [];
    private readonly IReadOnlyDictionary<string, double> _metrics = ReadOnlyMaps.Freeze<double>(null);
    private readonly IReadOnlyDictionary<string, string> _labels = ReadOnlyMaps.Freeze<string>(null);
    private readonly ModelLineage _lineage = ModelLineage.None;

    /// <summary>A draft of a new version of model <paramref name="modelId"/>.</summary>
    public ModelVersionDraft(string modelId)
    {
        ModelId = TrackingNames.Id(modelId, nameof(modelId), "model id");
    }

    /// <summary>The model it is a version of.</summary>
    public string ModelId { get; }

    /// <summary>The OCI artifact that holds it (<c>127.0.0.1:5000/arc/models:model-mlp-…</c>, <c>oci-layout:/dir:tag</c>), when it was saved as one. At most 1024 characters without spaces.</summary>
    public string? ArtifactReference
    {
        get => _artifactReference;
        init => _artifactReference = value is null ? null : TrackingNames.Token(value, nameof(ArtifactReference), "artifact reference", 1024);
    }

    /// <summary>Its files (weights, configuration, notebooks…) as blobs; names unique.</summary>
    public IReadOnlyList<FileRef> Files
    {
        get => _files;
        init => _files = CheckFiles(value);
    }

    /// <summary>Its metrics by key (NaN and ±infinity allowed).</summary>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get => _metrics;
        init => _metrics = CheckpointDraft.CheckMetrics(value, nameof(Metrics));
    }

    /// <summary>The labels it starts with.</summary>
    public IReadOnlyDictionary<string, string> Labels
    {
        get => _labels;
        init => _labels = Tracking.Labels.Check(value, nameof(Labels));
    }

    /// <summary>Where it came from.</summary>
    public ModelLineage Lineage
    {
        get => _lineage;
        init => _lineage = value ?? throw new ArgumentNullException(nameof(Lineage), "use ModelLineage.None when nothing is known");
    }

    private static IReadOnlyList<FileRef> CheckFiles(IReadOnlyList<FileRef>? files)
    {
        ArgumentNullException.ThrowIfNull(files, nameof(Files));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (file is null) throw new ArgumentException("a model version's files may not hold null", nameof(Files));
            if (!names.Add(file.Name)) throw new ArgumentException($"a model version's files name '{file.Name}' twice", nameof(Files));
        }
        return files.ToArray();
    }
}
