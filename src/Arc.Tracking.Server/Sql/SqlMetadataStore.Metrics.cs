namespace Arc.Tracking.Server;

public abstract partial class SqlMetadataStore
{
    /// <inheritdoc/>
    public Task<MetricBatchOutcome> LogMetricsAsync(MetricBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        string digest = MetricBatchDigest.Of(batch.Points);
        return WriteAsync(async context =>
        {
            await ExperimentNamespaceAsync(context, batch.ExperimentId, cancellationToken).ConfigureAwait(false);
            // The key goes in first: a retry that races its original waits on the key's row and then finds it stored.
            int inserted = await context.ExecuteAsync(
                "INSERT INTO metric_batches (experiment_id, batch_key, digest, points, stored_us) VALUES (@experiment, @key, @digest, @points, @now) " +
                "ON CONFLICT (experiment_id, batch_key) DO NOTHING", cancellationToken,
                ("@experiment", batch.ExperimentId), ("@key", batch.IdempotencyKey), ("@digest", digest), ("@points", (long)batch.Points.Count), ("@now", context.NowMicros)).ConfigureAwait(false);
            if (inserted == 0)
            {
                string? stored = (string?)await context.ScalarAsync("SELECT digest FROM metric_batches WHERE experiment_id = @experiment AND batch_key = @key",
                    cancellationToken, ("@experiment", batch.ExperimentId), ("@key", batch.IdempotencyKey)).ConfigureAwait(false);
                return stored == digest
                    ? MetricBatchOutcome.AlreadyStored
                    : throw new TrackingInvalidArgumentException(
                        $"idempotency key '{batch.IdempotencyKey}' of experiment '{batch.ExperimentId}' was used before for different points; " +
                        "a retry must send the same points, and a new batch needs a new key");
            }
            await InsertPointsAsync(context, batch.ExperimentId, batch.Points, cancellationToken).ConfigureAwait(false);
            return MetricBatchOutcome.Stored;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<MetricPoint>> ReadMetricAsync(string experimentId, string key, long? fromStep = null, long? toStep = null,
        CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(experimentId, nameof(experimentId), "experiment id");
        TrackingNames.Key(key, nameof(key), "metric key");
        if (fromStep > toStep) throw new ArgumentException($"the step range [{fromStep}, {toStep}] is empty: fromStep is after toStep", nameof(fromStep));
        return ReadAsync<IReadOnlyList<MetricPoint>>(async context =>
        {
            await ExperimentNamespaceAsync(context, experimentId, cancellationToken).ConfigureAwait(false);
            // Only the bounds given go into the SQL: PostgreSQL cannot type a parameter that is only ever NULL.
            string range = (fromStep is null ? "" : " AND step >= @from") + (toStep is null ? "" : " AND step <= @to");
            var parameters = new List<(string, object?)> { ("@experiment", experimentId), ("@key", key) };
            if (fromStep is not null) parameters.Add(("@from", fromStep.Value));
            if (toStep is not null) parameters.Add(("@to", toStep.Value));
            return await context.ListAsync(
                $"SELECT step, wall_us, value FROM metric_points WHERE experiment_id = @experiment AND key = @key{range} ORDER BY step, id",
                reader => new MetricPoint(key, reader.GetInt64(0), UnixMicros.ToTime(reader.GetInt64(1)), DbCommands.ReadDouble(reader, 2)),
                cancellationToken, [.. parameters]).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<MetricPoint>> ReadLatestMetricsAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        TrackingNames.Id(experimentId, nameof(experimentId), "experiment id");
        return ReadAsync<IReadOnlyList<MetricPoint>>(async context =>
        {
            await ExperimentNamespaceAsync(context, experimentId, cancellationToken).ConfigureAwait(false);
            return (await context.ListAsync(
                "SELECT key, step, wall_us, value FROM metric_latest WHERE experiment_id = @experiment",
                reader => new MetricPoint(reader.GetString(0), reader.GetInt64(1), UnixMicros.ToTime(reader.GetInt64(2)), DbCommands.ReadDouble(reader, 3)),
                cancellationToken, ("@experiment", experimentId)).ConfigureAwait(false)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        }, cancellationToken);
    }
}
