using System.Data.Common;

namespace Arc.Tracking.Server;

/// <summary>
/// The metadata store over SQL, written once for both databases: every operation is plain SQL that SQLite (3.35 and
/// later) and PostgreSQL both run — <c>@name</c> parameters, <c>ON CONFLICT</c>, <c>RETURNING</c> — and the two stores
/// (<see cref="SqliteMetadataStore"/>, <c>PostgresMetadataStore</c>) supply only what differs: connections, how a
/// write transaction starts, bulk point inserts, unique-violation codes and the schema's column types.
/// </summary>
/// <remarks>
/// Each change runs in one transaction that also appends its event (<see cref="StoreContext.AppendEventAsync"/>) as its
/// last statement. A call that fails, or is cancelled before its commit, leaves nothing behind. Lists ordered by a
/// name or key are sorted here, by ordinal, not by the database: a PostgreSQL database's collation (en-US, say) would
/// order them otherwise than SQLite, and the contract is one order for both.
/// </remarks>
public abstract partial class SqlMetadataStore : IMetadataStore, IMetricPageSource
{
    private readonly TimeProvider _clock;
    private int _disposed;

    private protected SqlMetadataStore(TimeProvider? clock)
    {
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Opens a connection (from the provider's pool) ready for statements.</summary>
    private protected abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Starts a write transaction on <paramref name="connection"/>. SQLite takes the database's write lock at once
    /// (<c>BEGIN IMMEDIATE</c>), so two writers never deadlock upgrading read locks.
    /// </summary>
    private protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Waits for this process's turn to write, where the database serializes writers anyway (SQLite); null where it does not need to.</summary>
    private protected virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>Whether <paramref name="exception"/> is a unique-constraint violation.</summary>
    private protected abstract bool IsUniqueViolation(DbException exception);

    /// <summary>
    /// Inserts <paramref name="points"/> of experiment <paramref name="experimentId"/> in their order and updates the
    /// latest value of each key they touch (<c>metric_latest</c>: the point with the highest id wins).
    /// </summary>
    private protected abstract Task InsertPointsAsync(StoreContext context, string experimentId, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a write transaction and commits it; any exception rolls it back.</summary>
    private protected async Task<T> WriteAsync<T>(Func<StoreContext, Task<T>> work, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        using var turn = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var transactionDisposal = transaction.ConfigureAwait(false);
        var result = await work(new StoreContext(connection, transaction, _clock.GetUtcNow())).ConfigureAwait(false);
        // Once the work is done the commit is not cancelled: a half-acknowledged write helps no one.
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs <paramref name="work"/> on a connection outside any transaction (each statement sees committed data).</summary>
    private protected async Task<T> ReadAsync<T>(Func<StoreContext, Task<T>> work, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        return await work(new StoreContext(connection, null, _clock.GetUtcNow())).ConfigureAwait(false);
    }

    /// <summary>Runs an insert that may hit a unique constraint, turning that into <see cref="TrackingAlreadyExistsException"/> with <paramref name="message"/>.</summary>
    private protected async Task InsertUniqueAsync(StoreContext context, string sql, string message, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        try
        {
            await context.ExecuteAsync(sql, cancellationToken, parameters).ConfigureAwait(false);
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            throw new TrackingAlreadyExistsException(message, e);
        }
    }

    private protected static string NewId() => Guid.CreateVersion7().ToString("N");

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Closes the store's connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await DisposeCoreAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the provider's resources (pools, data sources).</summary>
    private protected abstract ValueTask DisposeCoreAsync();
}
