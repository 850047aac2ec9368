namespace Arc.Tracking;

// Registered models, their versions and labels.
public sealed partial class TrackingServerClient
{
    /// <summary>Registers a model (and its namespace if new).</summary>
    /// <exception cref="TrackingAlreadyExistsException">The namespace has a model of that name.</exception>
    public async Task<RegisteredModel> CreateModelAsync(RegisteredModelDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return ModelWire.ToModel(await CallAsync(client => client.CreateModelAsync(ModelWire.ToRequest(draft), cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>The model <paramref name="modelId"/>.</summary>
    /// <exception cref="TrackingNotFoundException">No model has that id.</exception>
    public async Task<RegisteredModel> GetModelAsync(string modelId, CancellationToken cancellationToken = default)
    {
        var request = new GetModelRequest { Id = TrackingNames.Id(modelId, nameof(modelId), "model id") };
        return ModelWire.ToModel(await CallAsync(client => client.GetModelAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>The model named <paramref name="name"/> in <paramref name="namespace"/>, or null.</summary>
    public async Task<RegisteredModel?> FindModelAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        var request = new FindModelRequest
        {
            Namespace = TrackingNames.Namespace(@namespace, nameof(@namespace)),
            Name = TrackingNames.Name(name, nameof(name), "model name"),
        };
        var reply = await CallAsync(client => client.FindModelAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Model is null ? null : ModelWire.ToModel(reply.Model);
    }

    /// <summary>The models of <paramref name="namespace"/> (of all namespaces when null), oldest first.</summary>
    public async Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(string? @namespace = null, CancellationToken cancellationToken = default)
    {
        var request = new ListModelsRequest();
        if (@namespace is not null) request.Namespace = TrackingNames.Namespace(@namespace, nameof(@namespace));
        var reply = await CallAsync(client => client.ListModelsAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Models.Select(ModelWire.ToModel).ToArray();
    }

    /// <summary>Adds a version to a model, numbered one more than the model's last (1 for the first).</summary>
    /// <exception cref="TrackingNotFoundException">The model, the lineage's experiment or its parent version does not exist.</exception>
    public async Task<ModelVersion> CreateModelVersionAsync(ModelVersionDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return VersionWire.ToVersion(await CallAsync(client => client.CreateModelVersionAsync(VersionWire.ToRequest(draft), cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>The model version <paramref name="versionId"/>.</summary>
    /// <exception cref="TrackingNotFoundException">No version has that id.</exception>
    public async Task<ModelVersion> GetModelVersionAsync(string versionId, CancellationToken cancellationToken = default)
    {
        var request = new GetModelVersionRequest { Id = TrackingNames.Id(versionId, nameof(versionId), "model version id") };
        return VersionWire.ToVersion(await CallAsync(client => client.GetModelVersionAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>Version number <paramref name="version"/> of model <paramref name="modelId"/>, or null.</summary>
    /// <exception cref="TrackingNotFoundException">No model has that id.</exception>
    public async Task<ModelVersion?> FindModelVersionAsync(string modelId, int version, CancellationToken cancellationToken = default)
    {
        var request = new FindModelVersionRequest { ModelId = TrackingNames.Id(modelId, nameof(modelId), "model id"), Version = version };
        var reply = await CallAsync(client => client.FindModelVersionAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Version is null ? null : VersionWire.ToVersion(reply.Version);
    }

    /// <summary>The versions of a model by number.</summary>
    /// <exception cref="TrackingNotFoundException">No model has that id.</exception>
    public async Task<IReadOnlyList<ModelVersion>> ListModelVersionsAsync(string modelId, CancellationToken cancellationToken = default)
    {
        var request = new ListModelVersionsRequest { ModelId = TrackingNames.Id(modelId, nameof(modelId), "model id") };
        var reply = await CallAsync(client => client.ListModelVersionsAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return reply.Versions.Select(VersionWire.ToVersion).ToArray();
    }

    /// <summary>Sets label <paramref name="key"/> to <paramref name="value"/> on a model or version (replacing its value if set).</summary>
    /// <exception cref="TrackingNotFoundException">The target does not exist.</exception>
    public async Task SetLabelAsync(LabelTarget target, string key, string value, CancellationToken cancellationToken = default)
    {
        var request = new SetLabelRequest { Target = TargetMessage(target), Key = Labels.Key(key, nameof(key)), Value = Labels.Value(value, nameof(value)) };
        await CallAsync(client => client.SetLabelAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Removes label <paramref name="key"/> from a model or version.</summary>
    /// <exception cref="TrackingNotFoundException">The target does not exist, or has no label <paramref name="key"/>.</exception>
    public async Task RemoveLabelAsync(LabelTarget target, string key, CancellationToken cancellationToken = default)
    {
        var request = new RemoveLabelRequest { Target = TargetMessage(target), Key = Labels.Key(key, nameof(key)) };
        await CallAsync(client => client.RemoveLabelAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static ObjectRefMessage TargetMessage(LabelTarget target) => target.Kind is TrackedObjectKind.Model or TrackedObjectKind.ModelVersion
        ? FileWire.ToMessage(target)
        : throw new ArgumentException("a label target is made with LabelTarget.Model(id) or LabelTarget.ModelVersion(id), not default", nameof(target));
}
