namespace Arc.Tracking;

/// <summary>The kinds of object a store keeps, as far as labels, files and events refer to them.</summary>
public enum TrackedObjectKind
{
    /// <summary>A <see cref="TrackingNamespace"/>.</summary>
    Namespace = 1,

    /// <summary>An <see cref="Tracking.Experiment"/>.</summary>
    Experiment = 2,

    /// <summary>A <see cref="Tracking.Checkpoint"/>.</summary>
    Checkpoint = 3,

    /// <summary>A <see cref="RegisteredModel"/>.</summary>
    Model = 4,

    /// <summary>A <see cref="Tracking.ModelVersion"/>.</summary>
    ModelVersion = 5,
}
