namespace Arc.Tracking.Server;

public abstract partial class SqlMetadataStore
{
    /// <inheritdoc/>
    public Task SetLabelAsync(LabelTarget target, string key, string value, CancellationToken cancellationToken = default)
    {
        CheckTarget(target);
        Labels.Key(key, nameof(key));
        Labels.Value(value, nameof(value));
        return WriteAsync(async context =>
        {
            string @namespace = await TargetNamespaceAsync(context, target, cancellationToken).ConfigureAwait(false);
            await context.ExecuteAsync("INSERT INTO labels (object_id, key, value) VALUES (@object, @key, @value) " +
                                       "ON CONFLICT (object_id, key) DO UPDATE SET value = excluded.value", cancellationToken,
                ("@object", target.Id), ("@key", key), ("@value", value)).ConfigureAwait(false);
            await context.AppendEventAsync(TrackingEventKinds.LabelSet, target.Id, @namespace,
                new EventPayload().With("object_kind", ObjectKindText(target.Kind)).With("key", key).With("value", value), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task RemoveLabelAsync(LabelTarget target, string key, CancellationToken cancellationToken = default)
    {
        CheckTarget(target);
        Labels.Key(key, nameof(key));
        return WriteAsync(async context =>
        {
            string @namespace = await TargetNamespaceAsync(context, target, cancellationToken).ConfigureAwait(false);
            int removed = await context.ExecuteAsync("DELETE FROM labels WHERE object_id = @object AND key = @key", cancellationToken,
                ("@object", target.Id), ("@key", key)).ConfigureAwait(false);
            if (removed == 0) throw new TrackingNotFoundException($"{ObjectKindText(target.Kind).Replace('_', ' ')} '{target.Id}' has no label '{key}'");
            await context.AppendEventAsync(TrackingEventKinds.LabelRemoved, target.Id, @namespace,
                new EventPayload().With("object_kind", ObjectKindText(target.Kind)).With("key", key), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    private static void CheckTarget(LabelTarget target)
    {
        if (target.Kind is not (TrackedObjectKind.Model or TrackedObjectKind.ModelVersion))
            throw new ArgumentException("a label target is made with LabelTarget.Model(id) or LabelTarget.ModelVersion(id), not default", nameof(target));
    }

    private static Task<string> TargetNamespaceAsync(StoreContext context, LabelTarget target, CancellationToken cancellationToken)
        => target.Kind == TrackedObjectKind.Model
            ? ModelNamespaceAsync(context, target.Id, cancellationToken)
            : VersionNamespaceAsync(context, target.Id, cancellationToken);

    private static async Task InsertLabelsAsync(StoreContext context, string objectId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in labels)
            await context.ExecuteAsync("INSERT INTO labels (object_id, key, value) VALUES (@object, @key, @value)", cancellationToken,
                ("@object", objectId), ("@key", key), ("@value", value)).ConfigureAwait(false);
    }

    /// <summary>The labels of the objects whose ids <paramref name="idsQuery"/> selects, by object id.</summary>
    private static async Task<ILookup<string, KeyValuePair<string, string>>> ReadLabelsAsync(StoreContext context, string idsQuery,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        => (await context.ListAsync($"SELECT object_id, key, value FROM labels WHERE object_id IN ({idsQuery})",
                reader => (Object: reader.GetString(0), Label: KeyValuePair.Create(reader.GetString(1), reader.GetString(2))), cancellationToken, parameters).ConfigureAwait(false))
            .ToLookup(row => row.Object, row => row.Label, StringComparer.Ordinal);

    private static Dictionary<string, string> LabelsOf(ILookup<string, KeyValuePair<string, string>> labels, string objectId)
        => labels[objectId].ToDictionary(StringComparer.Ordinal);

    private static string ObjectKindText(TrackedObjectKind kind) => kind switch
    {
        TrackedObjectKind.Namespace => "namespace",
        TrackedObjectKind.Experiment => "experiment",
        TrackedObjectKind.Checkpoint => "checkpoint",
        TrackedObjectKind.Model => "model",
        TrackedObjectKind.ModelVersion => "model_version",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
