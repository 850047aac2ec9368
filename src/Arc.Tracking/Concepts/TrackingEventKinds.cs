namespace Arc.Tracking;

/// <summary>The kinds of <see cref="TrackingEvent"/>, <c>object.change</c>; each names the fields of its JSON payload.</summary>
public static class TrackingEventKinds
{
    /// <summary>A namespace was named for the first time. Payload: <c>{}</c>.</summary>
    public const string NamespaceCreated = "namespace.created";

    /// <summary>An experiment was created. Payload: <c>{"name", "owner", "framework", "status"}</c>.</summary>
    public const string ExperimentCreated = "experiment.created";

    /// <summary>An experiment's status changed. Payload: <c>{"status", "ended_at"}</c> (<c>ended_at</c> in ISO 8601 UTC to the microsecond, <c>2026-06-01T00:00:00.000000Z</c>, or null).</summary>
    public const string ExperimentStatusChanged = "experiment.status_changed";

    /// <summary>A checkpoint was recorded; the object is the checkpoint. Payload: <c>{"experiment_id", "step", "epoch", "blob_sha256"}</c>.</summary>
    public const string CheckpointCreated = "checkpoint.created";

    /// <summary>A model was registered. Payload: <c>{"name", "owner", "task"}</c>.</summary>
    public const string ModelCreated = "model.created";

    /// <summary>A model version was added; the object is the version. Payload: <c>{"model_id", "version", "artifact_reference", "experiment_id"}</c>.</summary>
    public const string ModelVersionCreated = "model_version.created";

    /// <summary>A label was set on a model or a version (the object). Payload: <c>{"object_kind", "key", "value"}</c>, <c>object_kind</c> being <c>model</c> or <c>model_version</c>.</summary>
    public const string LabelSet = "label.set";

    /// <summary>A label was removed from a model or a version. Payload: <c>{"object_kind", "key"}</c>.</summary>
    public const string LabelRemoved = "label.removed";

    /// <summary>A file was attached to an experiment or a version (the object). Payload: <c>{"object_kind", "name", "sha256", "size"}</c>, <c>object_kind</c> being <c>experiment</c> or <c>model_version</c>.</summary>
    public const string FileAttached = "file.attached";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> All { get; } =
        [NamespaceCreated, ExperimentCreated, ExperimentStatusChanged, CheckpointCreated, ModelCreated, ModelVersionCreated, LabelSet, LabelRemoved, FileAttached];
}
