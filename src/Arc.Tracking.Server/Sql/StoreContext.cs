using System.Data.Common;

namespace Arc.Tracking.Server;

/// <summary>
/// One open connection of a store, inside a write transaction or not (reads), with the store's clock reading for the
/// whole call: every row and event a call writes carries the same time.
/// </summary>
internal sealed class StoreContext(DbConnection connection, DbTransaction? transaction, DateTimeOffset now)
{
    public DbConnection Connection { get; } = connection;

    public DbTransaction? Transaction { get; } = transaction;

    /// <summary>The call's time, to the microsecond.</summary>
    public DateTimeOffset Now { get; } = UnixMicros.Truncate(now);

    public long NowMicros => UnixMicros.From(Now);

    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        => DbCommands.ExecuteAsync(Connection, Transaction, sql, cancellationToken, parameters);

    public Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        => DbCommands.ScalarAsync(Connection, Transaction, sql, cancellationToken, parameters);

    public Task<List<T>> ListAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        => DbCommands.ListAsync(Connection, Transaction, sql, map, cancellationToken, parameters);

    public DbCommand Command(string sql, params (string Name, object? Value)[] parameters) => DbCommands.Create(Connection, Transaction, sql, parameters);

    /// <summary>
    /// Creates namespace <paramref name="name"/> if it is new and says whether it was (the caller then appends its event,
    /// after its own rows, so that the event counter stays the last lock a transaction takes).
    /// </summary>
    public async Task<bool> EnsureNamespaceAsync(string name, CancellationToken cancellationToken)
        => await ExecuteAsync("INSERT INTO namespaces (name, created_us) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING",
            cancellationToken, ("@name", name), ("@now", NowMicros)).ConfigureAwait(false) == 1;

    /// <summary>
    /// Appends an event. Its id comes from the one-row counter, whose row lock (PostgreSQL) or the database's write lock
    /// (SQLite) is held until this transaction commits: ids are handed out in commit order, with no gap, so a reader that
    /// goes on after the last id it saw never skips an event that committed later with a smaller id.
    /// </summary>
    public async Task<long> AppendEventAsync(string kind, string objectId, string @namespace, EventPayload payload, CancellationToken cancellationToken)
    {
        long id = Convert.ToInt64(await ScalarAsync("UPDATE event_counter SET last_id = last_id + 1 WHERE only_row = 1 RETURNING last_id", cancellationToken).ConfigureAwait(false));
        await ExecuteAsync("INSERT INTO events (id, time_us, kind, object_id, namespace, payload) VALUES (@id, @time, @kind, @object, @namespace, @payload)",
            cancellationToken, ("@id", id), ("@time", NowMicros), ("@kind", kind), ("@object", objectId), ("@namespace", @namespace), ("@payload", payload.ToJson())).ConfigureAwait(false);
        return id;
    }
}
