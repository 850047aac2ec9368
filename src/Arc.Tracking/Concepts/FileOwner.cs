namespace Arc.Tracking;

/// <summary>What a file is attached to: an experiment or a model version.</summary>
public readonly record struct FileOwner
{
    private FileOwner(TrackedObjectKind kind, string id)
    {
        Kind = kind;
        Id = id;
    }

    /// <summary><see cref="TrackedObjectKind.Experiment"/> or <see cref="TrackedObjectKind.ModelVersion"/>; zero for <c>default</c>, which stores refuse.</summary>
    public TrackedObjectKind Kind { get; }

    /// <summary>The object's id.</summary>
    public string Id { get; }

    /// <summary>The experiment <paramref name="experimentId"/>.</summary>
    public static FileOwner Experiment(string experimentId) => new(TrackedObjectKind.Experiment, TrackingNames.Id(experimentId, nameof(experimentId), "experiment id"));

    /// <summary>The model version <paramref name="versionId"/>.</summary>
    public static FileOwner ModelVersion(string versionId) => new(TrackedObjectKind.ModelVersion, TrackingNames.Id(versionId, nameof(versionId), "model version id"));

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} {Id}";
}
