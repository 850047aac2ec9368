namespace Arc.Tracking.Server;

public abstract partial class SqlMetadataStore : IMetricSummarySource
{
    /// <inheritdoc/>
    async Task<IReadOnlyDictionary<string, double>> IMetricSummarySource.BestMetricValuesAsync(string? @namespace, string key, bool highest,
        CancellationToken cancellationToken)
    {
        TrackingNames.Key(key, nameof(key), "metric key");
        if (@namespace is not null) TrackingNames.Namespace(@namespace, nameof(@namespace));
        string best = highest ? "MAX" : "MIN";
        // NaN must not win: PostgreSQL stores it and orders it above every number; SQLite stores it as NULL, which aggregates
        // skip. value <> 'NaN' drops it on PostgreSQL (the literal becomes a float8) and keeps every number on SQLite (a REAL
        // never equals a TEXT).
        string sql = @namespace is null
            ? $"SELECT experiment_id, {best}(value) FROM metric_points WHERE key = @key AND value <> 'NaN' GROUP BY experiment_id"
            : $"SELECT m.experiment_id, {best}(m.value) FROM metric_points m JOIN experiments e ON e.id = m.experiment_id " +
              "WHERE e.namespace = @namespace AND m.key = @key AND m.value <> 'NaN' GROUP BY m.experiment_id";
        var parameters = @namespace is null
            ? new (string, object?)[] { ("@key", key) }
            : [("@key", key), ("@namespace", @namespace)];
        var rows = await ReadAsync(context => context.ListAsync(sql, reader => (Id: reader.GetString(0), Value: reader.GetDouble(1)), cancellationToken, parameters),
            cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(row => row.Id, row => row.Value, StringComparer.Ordinal);
    }
}
