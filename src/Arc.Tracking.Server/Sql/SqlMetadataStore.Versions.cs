using System.Data.Common;

namespace Arc.Tracking.Server;

public abstract partial class SqlMetadataStore
{
    private const string VersionColumns =
        "v.id, v.model_id, m.namespace, v.version, v.artifact_reference, v.experiment_id, v.job, v.dataset_name, v.dataset_version, v.dataset_hash, " +
        "v.parent_version_id, v.created_us, v.metrics";

    /// <inheritdoc/>
    public Task<ModelVersion> CreateModelVersionAsync(ModelVersionDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return WriteAsync(async context =>
        {
            string @namespace = await ModelNamespaceAsync(context, draft.ModelId, cancellationToken).ConfigureAwait(false);
            var lineage = draft.Lineage;
            if (lineage.ExperimentId is { } experimentId) await ExperimentNamespaceAsync(context, experimentId, cancellationToken).ConfigureAwait(false);
            if (lineage.ParentVersionId is { } parentId) await VersionNamespaceAsync(context, parentId, cancellationToken).ConfigureAwait(false);
            // The model's row is the version counter: its row lock (PostgreSQL) makes concurrent versions of one model take turns.
            int number = Convert.ToInt32(await context.ScalarAsync("UPDATE models SET last_version = last_version + 1 WHERE id = @id RETURNING last_version",
                cancellationToken, ("@id", draft.ModelId)).ConfigureAwait(false));
            string id = NewId();
            await context.ExecuteAsync(
                "INSERT INTO model_versions (id, model_id, version, artifact_reference, experiment_id, job, dataset_name, dataset_version, dataset_hash, " +
                "parent_version_id, created_us, metrics) VALUES (@id, @model, @version, @artifact, @experiment, @job, @dataset, @datasetVersion, @datasetHash, " +
                "@parent, @now, @metrics)", cancellationToken,
                ("@id", id), ("@model", draft.ModelId), ("@version", number), ("@artifact", draft.ArtifactReference), ("@experiment", lineage.ExperimentId),
                ("@job", lineage.Job), ("@dataset", lineage.Dataset?.Name), ("@datasetVersion", lineage.Dataset?.Version), ("@datasetHash", lineage.Dataset?.Hash),
                ("@parent", lineage.ParentVersionId), ("@now", context.NowMicros), ("@metrics", JsonMaps.Write(draft.Metrics))).ConfigureAwait(false);
            foreach (var file in draft.Files) await InsertFileAsync(context, id, file, cancellationToken).ConfigureAwait(false);
            await InsertLabelsAsync(context, id, draft.Labels, cancellationToken).ConfigureAwait(false);
            await context.AppendEventAsync(TrackingEventKinds.ModelVersionCreated, id, @namespace,
                new EventPayload().With("model_id", draft.ModelId).With("version", number).With("artifact_reference", draft.ArtifactReference)
                    .With("experiment_id", lineage.ExperimentId), cancellationToken).ConfigureAwait(false);
            return (await ReadVersionsAsync(context, "WHERE v.id = @id", cancellationToken, ("@id", id)).ConfigureAwait(false)).Single();
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ModelVersion> GetModelVersionAsync(string versionId, CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(versionId, nameof(versionId), "model version id");
        return ReadAsync(async context => (await ReadVersionsAsync(context, "WHERE v.id = @id", cancellationToken, ("@id", versionId)).ConfigureAwait(false)).SingleOrDefault()
                                          ?? throw VersionNotFound(versionId), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ModelVersion?> FindModelVersionAsync(string modelId, int version, CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(modelId, nameof(modelId), "model id");
        return ReadAsync(async context =>
        {
            await ModelNamespaceAsync(context, modelId, cancellationToken).ConfigureAwait(false);
            return (await ReadVersionsAsync(context, "WHERE v.model_id = @model AND v.version = @version", cancellationToken,
                ("@model", modelId), ("@version", version)).ConfigureAwait(false)).SingleOrDefault();
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ModelVersion>> ListModelVersionsAsync(string modelId, CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(modelId, nameof(modelId), "model id");
        return ReadAsync(async context =>
        {
            await ModelNamespaceAsync(context, modelId, cancellationToken).ConfigureAwait(false);
            return await ReadVersionsAsync(context, "WHERE v.model_id = @model", cancellationToken, ("@model", modelId)).ConfigureAwait(false);
        }, cancellationToken);
    }

    // Versions with their files and labels: one query each, whatever the number of versions.
    private static async Task<IReadOnlyList<ModelVersion>> ReadVersionsAsync(StoreContext context, string where, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        string from = "FROM model_versions v JOIN models m ON m.id = v.model_id";
        var rows = await context.ListAsync($"SELECT {VersionColumns} {from} {where} ORDER BY v.model_id, v.version", ReadVersion, cancellationToken, parameters).ConfigureAwait(false);
        if (rows.Count == 0) return rows;
        string ids = $"SELECT v.id {from} {where}";
        var labels = await ReadLabelsAsync(context, ids, cancellationToken, parameters).ConfigureAwait(false);
        var files = (await context.ListAsync($"SELECT owner_id, name, sha256, size FROM files WHERE owner_id IN ({ids})",
            reader => (Owner: reader.GetString(0), File: new FileRef(reader.GetString(1), reader.GetString(2), reader.GetInt64(3))),
            cancellationToken, parameters).ConfigureAwait(false)).ToLookup(f => f.Owner, f => f.File, StringComparer.Ordinal);
        return rows.Select(version => version with { Labels = LabelsOf(labels, version.Id), Files = files[version.Id].OrderBy(f => f.Name, StringComparer.Ordinal).ToArray() }).ToList();
    }

    private static ModelVersion ReadVersion(DbDataReader reader)
    {
        string? datasetName = DbCommands.ReadNullableString(reader, 7);
        var lineage = new ModelLineage(
            experimentId: DbCommands.ReadNullableString(reader, 5),
            job: DbCommands.ReadNullableString(reader, 6),
            dataset: datasetName is null ? null : new DatasetRef(datasetName, reader.GetString(8), DbCommands.ReadNullableString(reader, 9)),
            parentVersionId: DbCommands.ReadNullableString(reader, 10));
        return new ModelVersion(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), DbCommands.ReadNullableString(reader, 4),
            lineage, UnixMicros.ToTime(reader.GetInt64(11)))
        {
            Metrics = JsonMaps.ReadDoubles(reader.GetString(12)),
        };
    }

    /// <summary>The namespace of version <paramref name="versionId"/>; <see cref="TrackingNotFoundException"/> when there is none.</summary>
    private static async Task<string> VersionNamespaceAsync(StoreContext context, string versionId, CancellationToken cancellationToken)
        => (string?)await context.ScalarAsync("SELECT m.namespace FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.id = @id",
               cancellationToken, ("@id", versionId)).ConfigureAwait(false)
           ?? throw VersionNotFound(versionId);

    private static TrackingNotFoundException VersionNotFound(string versionId)
        => new($"model version '{versionId}' does not exist (versions are named by the id the store gave them; find one by number with FindModelVersionAsync)");
}
