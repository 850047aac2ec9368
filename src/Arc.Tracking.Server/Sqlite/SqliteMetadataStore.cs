using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Arc.Tracking.Server;

/// <summary>
/// The embedded metadata store: one SQLite file in write-ahead-log mode. Every acknowledged change is on disk
/// (<c>synchronous=FULL</c>: the log is synced at each commit), readers never wait for the writer, and writers of this
/// process take turns before they ask SQLite for its write lock (other processes wait on SQLite's busy timeout).
/// </summary>
public sealed class SqliteMetadataStore : SqlMetadataStore
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeTurn = new(1, 1);

    private SqliteMetadataStore(string path, TimeProvider? clock)
        : base(clock)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The embedded default: <c>~/.arc/tracking/metadata.db</c>.</summary>
    public static string DefaultPath
        => System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".arc", "tracking", "metadata.db");

    /// <summary>
    /// Opens (creating it and its folder if needed) the database at <paramref name="path"/>, switches it to write-ahead
    /// logging and brings its schema to the current version.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database's schema is newer than this Arc knows.</exception>
    public static Task<SqliteMetadataStore> OpenAsync(string path, CancellationToken cancellationToken = default)
        => OpenAsync(path, schemaVersion: null, clock: null, cancellationToken);

    /// <summary>Opens the database at <paramref name="path"/>, migrating it only up to <paramref name="schemaVersion"/> (the upgrade tests make old databases with it).</summary>
    internal static async Task<SqliteMetadataStore> OpenAsync(string path, int? schemaVersion, TimeProvider? clock, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var store = new SqliteMetadataStore(full, clock);
        try
        {
            var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                // The journal mode is a property of the file: set once, it holds for every later connection.
                string mode = (string)(await DbCommands.ScalarAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false))!;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                    throw new InvalidOperationException($"SQLite would not put {full} in write-ahead-log mode (it stayed in '{mode}' mode)");
            }
            await store.MigrateAsync(SqliteSchema.Migrations, schemaVersion, cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private protected override string DatabaseName => Path;

    private protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Per connection (pooled ones included): FULL syncs the log at every commit, so an acknowledged write survives
            // a power cut, not only a crash of this process.
            await DbCommands.ExecuteAsync(connection, null, "PRAGMA synchronous = FULL", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
        // IMMEDIATE: take the write lock now, so two writers never both hold read locks and deadlock on the upgrade.
        => ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    private protected override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writeTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Turn(_writeTurn);
    }

    private protected override bool IsUniqueViolation(DbException exception)
        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        => exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    private protected override async Task InsertPointsAsync(StoreContext context, string experimentId, IReadOnlyList<MetricPoint> points,
        CancellationToken cancellationToken)
    {
        // One prepared statement reused for every point: SQLite compiles it once per batch. Only the last point of each
        // key needs its id (for metric_latest); it is read back after that point's insert.
        var lastOfKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < points.Count; i++) lastOfKey[points[i].Key] = i;
        var insert = context.Command(
            "INSERT INTO metric_points (experiment_id, key, step, wall_us, value) VALUES (@experiment, @key, @step, @wall, @value)",
            ("@experiment", experimentId));
        await using var insertDisposal = insert.ConfigureAwait(false);
        var key = DbCommands.Add(insert, "@key", "");
        var step = DbCommands.Add(insert, "@step", 0L);
        var wall = DbCommands.Add(insert, "@wall", 0L);
        var value = DbCommands.Add(insert, "@value", 0.0);
        insert.Prepare();
        var latest = new List<(long Id, MetricPoint Point)>(lastOfKey.Count);
        for (int i = 0; i < points.Count; i++)
        {
            var point = points[i];
            key.Value = point.Key;
            step.Value = point.Step;
            wall.Value = UnixMicros.From(point.WallTime);
            value.Value = DbCommands.Double(point.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (lastOfKey[point.Key] == i)
                latest.Add(((long)(await context.ScalarAsync("SELECT last_insert_rowid()", cancellationToken).ConfigureAwait(false))!, point));
        }
        foreach (var (id, point) in latest)
        {
            await context.ExecuteAsync(
                "INSERT INTO metric_latest (experiment_id, key, point_id, step, wall_us, value) VALUES (@experiment, @key, @id, @step, @wall, @value) " +
                SharedSql.UpsertLatestTail, cancellationToken,
                ("@experiment", experimentId), ("@key", point.Key), ("@id", id), ("@step", point.Step), ("@wall", UnixMicros.From(point.WallTime)),
                ("@value", point.Value)).ConfigureAwait(false);
        }
    }

    private protected override ValueTask DisposeCoreAsync()
    {
        // Close the pooled connections to this file so that it can be moved or deleted once the store is gone.
        using (var connection = new SqliteConnection(_connectionString)) SqliteConnection.ClearPool(connection);
        _writeTurn.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Turn(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
        }
    }
}
