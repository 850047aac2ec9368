using System.Data.Common;
using Npgsql;

namespace Arc.Tracking.Server;

/// <summary>
/// The metadata store for a team: a PostgreSQL database (15 or later) that several servers may share. Writes run at
/// READ COMMITTED; the rows that must be taken in turn are locked by the statements that change them (a model's version
/// counter, the event counter), and points go in as one array insert per batch.
/// </summary>
public sealed class PostgresMetadataStore : SqlMetadataStore
{
    // pg_advisory_xact_lock key for schema migrations: "arc-trk" in ASCII, so it reads as what it is in pg_locks.
    private const long SchemaLockKey = 0x6172632d74726b;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _databaseName;

    private PostgresMetadataStore(NpgsqlDataSource dataSource, TimeProvider? clock)
        : base(clock)
    {
        _dataSource = dataSource;
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        _databaseName = $"'{settings.Database}' on {settings.Host}:{settings.Port}";
    }

    /// <summary>
    /// Opens the database that <paramref name="connectionString"/> names (an Npgsql connection string) and brings its
    /// schema to the current version.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database's schema is newer than this Arc knows.</exception>
    public static Task<PostgresMetadataStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
        => OpenAsync(connectionString, schemaVersion: null, clock: null, cancellationToken);

    /// <summary>Opens the database, migrating it only up to <paramref name="schemaVersion"/> (the upgrade tests make old databases with it).</summary>
    internal static async Task<PostgresMetadataStore> OpenAsync(string connectionString, int? schemaVersion, TimeProvider? clock,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var store = new PostgresMetadataStore(NpgsqlDataSource.Create(connectionString), clock);
        try
        {
            await store.MigrateAsync(PostgresSchema.Migrations, schemaVersion, cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private protected override string DatabaseName => _databaseName;

    private protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
        => await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    private protected override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
        => await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    private protected override Task LockSchemaAsync(StoreContext context, CancellationToken cancellationToken)
        => context.ScalarAsync("SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("@key", SchemaLockKey));

    private protected override bool IsUniqueViolation(DbException exception)
        => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    private protected override async Task InsertPointsAsync(StoreContext context, string experimentId, IReadOnlyList<MetricPoint> points,
        CancellationToken cancellationToken)
    {
        // One statement per batch: the points travel as four arrays, are inserted in their order (WITH ORDINALITY), and
        // the last one of each key becomes that series' latest unless a later point is there already.
        var keys = new string[points.Count];
        var steps = new long[points.Count];
        var walls = new long[points.Count];
        var values = new double?[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            keys[i] = points[i].Key;
            steps[i] = points[i].Step;
            walls[i] = UnixMicros.From(points[i].WallTime);
            values[i] = double.IsNaN(points[i].Value) ? null : points[i].Value + 0.0;
        }
        await context.ExecuteAsync($"""
            WITH inserted AS (
                INSERT INTO metric_points (experiment_id, key, step, wall_us, value)
                SELECT @experiment, p.key, p.step, p.wall_us, p.value
                FROM unnest(@keys, @steps, @walls, @values) WITH ORDINALITY AS p (key, step, wall_us, value, n)
                ORDER BY p.n
                RETURNING id, key, step, wall_us, value)
            INSERT INTO metric_latest (experiment_id, key, point_id, step, wall_us, value)
            SELECT DISTINCT ON (key) @experiment, key, id, step, wall_us, value FROM inserted ORDER BY key, id DESC
            {SharedSql.UpsertLatestTail}
            """, cancellationToken,
            ("@experiment", experimentId), ("@keys", keys), ("@steps", steps), ("@walls", walls), ("@values", values)).ConfigureAwait(false);
    }

    private protected override ValueTask DisposeCoreAsync() => _dataSource.DisposeAsync();
}
