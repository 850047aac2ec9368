namespace Arc.Tracking;

/// <summary>Model versions and their lineage between the records and the wire messages, both ways; the records' constructors check what arrives.</summary>
internal static class VersionWire
{
    public static CreateModelVersionRequest ToRequest(ModelVersionDraft draft)
    {
        var request = new CreateModelVersionRequest { ModelId = draft.ModelId, Lineage = ToMessage(draft.Lineage) };
        if (draft.ArtifactReference is { } reference) request.ArtifactReference = reference;
        request.Files.Add(draft.Files.Select(FileWire.ToMessage));
        foreach (var (key, value) in draft.Metrics) request.Metrics.Add(key, value);
        foreach (var (key, value) in draft.Labels) request.Labels.Add(key, value);
        return request;
    }

    public static ModelVersionDraft ToDraft(CreateModelVersionRequest request) => new(request.ModelId)
    {
        ArtifactReference = request.HasArtifactReference ? request.ArtifactReference : null,
        Files = request.Files.Select(FileWire.ToFileRef).ToArray(),
        Metrics = request.Metrics,
        Labels = request.Labels,
        Lineage = ToLineage(request.Lineage),
    };

    public static ModelVersionMessage ToMessage(ModelVersion version)
    {
        var message = new ModelVersionMessage
        {
            Id = version.Id,
            ModelId = version.ModelId,
            Namespace = version.Namespace,
            Version = version.Version,
            Lineage = ToMessage(version.Lineage),
            CreatedAtUnixMicros = WireTime.ToMicros(version.CreatedAt),
        };
        if (version.ArtifactReference is { } reference) message.ArtifactReference = reference;
        message.Files.Add(version.Files.Select(FileWire.ToMessage));
        foreach (var (key, value) in version.Metrics) message.Metrics.Add(key, value);
        foreach (var (key, value) in version.Labels) message.Labels.Add(key, value);
        return message;
    }

    public static ModelVersion ToVersion(ModelVersionMessage message) => new(
        TrackingNames.Id(message.Id, "id", "model version id"),
        TrackingNames.Id(message.ModelId, "model_id", "model id"),
        TrackingNames.Namespace(message.Namespace, "namespace"),
        message.Version,
        message.HasArtifactReference ? message.ArtifactReference : null,
        ToLineage(message.Lineage),
        WireTime.FromMicros(message.CreatedAtUnixMicros, "created_at_unix_micros"))
    {
        Files = message.Files.Select(FileWire.ToFileRef).ToArray(),
        Metrics = message.Metrics,
        Labels = message.Labels,
    };

    private static LineageMessage ToMessage(ModelLineage lineage)
    {
        var message = new LineageMessage();
        if (lineage.ExperimentId is { } experiment) message.ExperimentId = experiment;
        if (lineage.Job is { } job) message.Job = job;
        if (lineage.ParentVersionId is { } parent) message.ParentVersionId = parent;
        if (lineage.Dataset is { } dataset)
        {
            message.Dataset = new DatasetRefMessage { Name = dataset.Name, Version = dataset.Version };
            if (dataset.Hash is { } hash) message.Dataset.Hash = hash;
        }
        return message;
    }

    // An absent lineage message is the same as an empty one: nothing is known.
    private static ModelLineage ToLineage(LineageMessage? message) => message is null
        ? ModelLineage.None
        : new ModelLineage(
            message.HasExperimentId ? message.ExperimentId : null,
            message.HasJob ? message.Job : null,
            message.Dataset is { } dataset ? new DatasetRef(dataset.Name, dataset.Version, dataset.HasHash ? dataset.Hash : null) : null,
            message.HasParentVersionId ? message.ParentVersionId : null);
}
