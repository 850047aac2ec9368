namespace Arc.Tracking;

/// <summary>What a label is set on: a model or a model version.</summary>
public readonly record struct LabelTarget
{
    private LabelTarget(TrackedObjectKind kind, string id)
    {
        Kind = kind;
        Id = id;
    }

    /// <summary><see cref="TrackedObjectKind.Model"/> or <see cref="TrackedObjectKind.ModelVersion"/>; zero for <c>default</c>, which stores refuse.</summary>
    public TrackedObjectKind Kind { get; }

    /// <summary>The object's id.</summary>
    public string Id { get; }

    /// <summary>The model <paramref name="modelId"/>.</summary>
    public static LabelTarget Model(string modelId) => new(TrackedObjectKind.Model, TrackingNames.Id(modelId, nameof(modelId), "model id"));

    /// <summary>The model version <paramref name="versionId"/>.</summary>
    public static LabelTarget ModelVersion(string versionId) => new(TrackedObjectKind.ModelVersion, TrackingNames.Id(versionId, nameof(versionId), "model version id"));

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} {Id}";
}
