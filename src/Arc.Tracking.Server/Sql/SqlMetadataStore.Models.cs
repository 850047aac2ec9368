using System.Data.Common;

namespace Arc.Tracking.Server;

public abstract partial class SqlMetadataStore
{
    private const string ModelColumns = "id, namespace, name, owner, task, description, created_us";

    /// <inheritdoc/>
    public Task<RegisteredModel> CreateModelAsync(RegisteredModelDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return WriteAsync(async context =>
        {
            string id = NewId();
            bool newNamespace = await context.EnsureNamespaceAsync(draft.Namespace, cancellationToken).ConfigureAwait(false);
            await InsertUniqueAsync(context,
                $"INSERT INTO models ({ModelColumns}, last_version) VALUES (@id, @namespace, @name, @owner, @task, @description, @now, 0)",
                $"namespace '{draft.Namespace}' has a model named '{draft.Name}' already; add a version to it or choose another name",
                cancellationToken,
                ("@id", id), ("@namespace", draft.Namespace), ("@name", draft.Name), ("@owner", draft.Owner), ("@task", draft.Task),
                ("@description", draft.Description), ("@now", context.NowMicros)).ConfigureAwait(false);
            await InsertLabelsAsync(context, id, draft.Labels, cancellationToken).ConfigureAwait(false);
            if (newNamespace)
                await context.AppendEventAsync(TrackingEventKinds.NamespaceCreated, draft.Namespace, draft.Namespace, EventPayload.Empty, cancellationToken).ConfigureAwait(false);
            await context.AppendEventAsync(TrackingEventKinds.ModelCreated, id, draft.Namespace,
                new EventPayload().With("name", draft.Name).With("owner", draft.Owner).With("task", draft.Task), cancellationToken).ConfigureAwait(false);
            return new RegisteredModel(id, draft.Namespace, draft.Name, draft.Owner, draft.Task, draft.Description, context.Now) { Labels = draft.Labels };
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegisteredModel> GetModelAsync(string modelId, CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(modelId, nameof(modelId), "model id");
        return ReadAsync(async context => (await ReadModelsAsync(context, "WHERE id = @id", cancellationToken, ("@id", modelId)).ConfigureAwait(false)).SingleOrDefault()
                                          ?? throw ModelNotFound(modelId), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RegisteredModel?> FindModelAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        TrackingNames.Namespace(@namespace, nameof(@namespace));
        TrackingNames.Name(name, nameof(name), "model name");
        return ReadAsync(async context => (await ReadModelsAsync(context, "WHERE namespace = @namespace AND name = @name", cancellationToken,
            ("@namespace", @namespace), ("@name", name)).ConfigureAwait(false)).SingleOrDefault(), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(string? @namespace = null, CancellationToken cancellationToken = default)
    {
        if (@namespace is not null) TrackingNames.Namespace(@namespace, nameof(@namespace));
        return ReadAsync<IReadOnlyList<RegisteredModel>>(context => @namespace is null
            ? ReadModelsAsync(context, "", cancellationToken)
            : ReadModelsAsync(context, "WHERE namespace = @namespace", cancellationToken, ("@namespace", @namespace)), cancellationToken);
    }

    private static async Task<IReadOnlyList<RegisteredModel>> ReadModelsAsync(StoreContext context, string where, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        var rows = await context.ListAsync($"SELECT {ModelColumns} FROM models {where} ORDER BY created_us, id",
            reader => new RegisteredModel(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), UnixMicros.ToTime(reader.GetInt64(6))), cancellationToken, parameters).ConfigureAwait(false);
        if (rows.Count == 0) return rows;
        var labels = await ReadLabelsAsync(context, $"SELECT id FROM models {where}", cancellationToken, parameters).ConfigureAwait(false);
        return rows.Select(model => model with { Labels = LabelsOf(labels, model.Id) }).ToList();
    }

    /// <summary>The namespace of model <paramref name="modelId"/>; <see cref="TrackingNotFoundException"/> when there is none.</summary>
    private static async Task<string> ModelNamespaceAsync(StoreContext context, string modelId, CancellationToken cancellationToken)
        => (string?)await context.ScalarAsync("SELECT namespace FROM models WHERE id = @id", cancellationToken, ("@id", modelId)).ConfigureAwait(false)
           ?? throw ModelNotFound(modelId);

    private static TrackingNotFoundException ModelNotFound(string modelId)
        => new($"model '{modelId}' does not exist (models are named by the id the store gave them; find one by name with FindModelAsync)");
}
