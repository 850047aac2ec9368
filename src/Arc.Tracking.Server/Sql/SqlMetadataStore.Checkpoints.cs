using System.Data.Common;

namespace Arc.Tracking.Server;

public abstract partial class SqlMetadataStore
{
    private const string CheckpointColumns = "id, experiment_id, step, epoch, blob_sha256, created_us, metrics";

    /// <inheritdoc/>
    public Task<Checkpoint> CreateCheckpointAsync(CheckpointDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return WriteAsync(async context =>
        {
            string @namespace = await ExperimentNamespaceAsync(context, draft.ExperimentId, cancellationToken).ConfigureAwait(false);
            string id = NewId();
            await context.ExecuteAsync(
                $"INSERT INTO checkpoints ({CheckpointColumns}) VALUES (@id, @experiment, @step, @epoch, @blob, @now, @metrics)", cancellationToken,
                ("@id", id), ("@experiment", draft.ExperimentId), ("@step", draft.Step), ("@epoch", draft.Epoch), ("@blob", draft.BlobSha256),
                ("@now", context.NowMicros), ("@metrics", JsonMaps.Write(draft.Metrics))).ConfigureAwait(false);
            await context.AppendEventAsync(TrackingEventKinds.CheckpointCreated, id, @namespace,
                new EventPayload().With("experiment_id", draft.ExperimentId).With("step", draft.Step).With("epoch", draft.Epoch).With("blob_sha256", draft.BlobSha256),
                cancellationToken).ConfigureAwait(false);
            return new Checkpoint(id, draft.ExperimentId, draft.Step, draft.Epoch, draft.BlobSha256, context.Now) { Metrics = draft.Metrics };
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Checkpoint> GetCheckpointAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(checkpointId, nameof(checkpointId), "checkpoint id");
        return ReadAsync(async context =>
        {
            var found = await context.ListAsync($"SELECT {CheckpointColumns} FROM checkpoints WHERE id = @id", ReadCheckpoint, cancellationToken, ("@id", checkpointId)).ConfigureAwait(false);
            return found.SingleOrDefault() ?? throw new TrackingNotFoundException($"checkpoint '{checkpointId}' does not exist");
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Checkpoint>> ListCheckpointsAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(experimentId, nameof(experimentId), "experiment id");
        return ReadAsync<IReadOnlyList<Checkpoint>>(async context =>
        {
            await ExperimentNamespaceAsync(context, experimentId, cancellationToken).ConfigureAwait(false);
            return await context.ListAsync($"SELECT {CheckpointColumns} FROM checkpoints WHERE experiment_id = @experiment ORDER BY step, created_us, id",
                ReadCheckpoint, cancellationToken, ("@experiment", experimentId)).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static Checkpoint ReadCheckpoint(DbDataReader reader)
        => new(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), DbCommands.ReadNullableLong(reader, 3), reader.GetString(4),
            UnixMicros.ToTime(reader.GetInt64(5)))
        {
            Metrics = JsonMaps.ReadDoubles(reader.GetString(6)),
        };
}
