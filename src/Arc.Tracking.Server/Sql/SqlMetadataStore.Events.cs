namespace Arc.Tracking.Server;

public abstract partial class SqlMetadataStore
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<TrackingEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<(string, object?)> { ("@after", query.AfterId), ("@limit", (long)query.Limit) };
        string where = "id > @after";
        if (query.Namespace is not null)
        {
            where += " AND namespace = @namespace";
            parameters.Add(("@namespace", query.Namespace));
        }
        if (query.Kinds.Count > 0)
        {
            where += $" AND kind IN ({string.Join(", ", query.Kinds.Select((_, i) => $"@kind{i}"))})";
            parameters.AddRange(query.Kinds.Select((kind, i) => ($"@kind{i}", (object?)kind)));
        }
        return ReadAsync<IReadOnlyList<TrackingEvent>>(async context => await context.ListAsync(
            $"SELECT id, time_us, kind, object_id, namespace, payload FROM events WHERE {where} ORDER BY id LIMIT @limit",
            reader => new TrackingEvent(reader.GetInt64(0), UnixMicros.ToTime(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5)),
            cancellationToken, [.. parameters]).ConfigureAwait(false), cancellationToken);
    }
}
