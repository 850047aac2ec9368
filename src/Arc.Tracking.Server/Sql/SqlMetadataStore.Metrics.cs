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
        var (sql, parameters) = SeriesQuery(experimentId, key, fromStep, toStep);
        return ReadAsync<IReadOnlyList<MetricPoint>>(async context =>
        {
            await ExperimentNamespaceAsync(context, experimentId, cancellationToken).ConfigureAwait(false);
            return await context.ListAsync(sql, reader => ReadPoint(reader, key), cancellationToken, parameters).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>The series as its rows come from the database, <paramref name="pagePoints"/> at a time, on one open connection.</summary>
    async IAsyncEnumerable<IReadOnlyList<MetricPoint>> IMetricPageSource.ReadMetricPagesAsync(string experimentId, string key, long? fromStep, long? toStep,
        int pagePoints, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pagePoints, 1);
        var (sql, parameters) = SeriesQuery(experimentId, key, fromStep, toStep);
        ThrowIfDisposed();
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        var context = new StoreContext(connection, null, _clock.GetUtcNow());
        await ExperimentNamespaceAsync(context, experimentId, cancellationToken).ConfigureAwait(false);
        var command = context.Command(sql, parameters);
        await using var commandDisposal = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        var page = new List<MetricPoint>(pagePoints);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(ReadPoint(reader, key));
            if (page.Count < pagePoints) continue;
            yield return page;
            page = new List<MetricPoint>(pagePoints);
        }
        if (page.Count > 0) yield return page;
    }

    /// <summary>The checked arguments' SELECT of a series, by step, then in logging order.</summary>
    private static (string Sql, (string Name, object? Value)[] Parameters) SeriesQuery(string experimentId, string key, long? fromStep, long? toStep)
    {
        TrackingNames.Id(experimentId, nameof(experimentId), "experiment id");
        TrackingNames.Key(key, nameof(key), "metric key");
        if (fromStep > toStep) throw new ArgumentException($"the step range [{fromStep}, {toStep}] is empty: fromStep is after toStep", nameof(fromStep));
        // Only the bounds given go into the SQL: PostgreSQL cannot type a parameter that is only ever NULL.
        string range = (fromStep is null ? "" : " AND step >= @from") + (toStep is null ? "" : " AND step <= @to");
        var parameters = new List<(string, object?)> { ("@experiment", experimentId), ("@key", key) };
        if (fromStep is not null) parameters.Add(("@from", fromStep.Value));
        if (toStep is not null) parameters.Add(("@to", toStep.Value));
        return ($"SELECT step, wall_us, value FROM metric_points WHERE experiment_id = @experiment AND key = @key{range} ORDER BY step, id", [.. parameters]);
    }

    private static MetricPoint ReadPoint(System.Data.Common.DbDataReader reader, string key)
        => new(key, reader.GetInt64(0), UnixMicros.ToTime(reader.GetInt64(1)), DbCommands.ReadDouble(reader, 2));

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
