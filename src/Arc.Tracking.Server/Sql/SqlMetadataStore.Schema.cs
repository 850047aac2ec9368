namespace Arc.Tracking.Server;

public abstract partial class SqlMetadataStore
{
    private const string SchemaVersionsTable =
        "CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_us BIGINT NOT NULL)";

    /// <summary>A name for the database in messages (its file, its host and database).</summary>
    private protected abstract string DatabaseName { get; }

    /// <summary>Makes concurrent openers of one database take turns at migrating it (PostgreSQL); SQLite's write lock does that already.</summary>
    private protected virtual Task LockSchemaAsync(StoreContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Brings the database to <paramref name="targetVersion"/> (the last of <paramref name="migrations"/> when null), one
    /// recorded step at a time; refuses a database whose version is newer than any step this Arc knows.
    /// </summary>
    private protected async Task MigrateAsync(IReadOnlyList<SchemaMigration> migrations, int? targetVersion, CancellationToken cancellationToken)
    {
        int known = migrations[^1].Version;
        int target = targetVersion ?? known;
        while (true)
        {
            bool done = await WriteAsync(async context =>
            {
                await LockSchemaAsync(context, cancellationToken).ConfigureAwait(false);
                await context.ExecuteAsync(SchemaVersionsTable, cancellationToken).ConfigureAwait(false);
                int current = await CurrentVersionAsync(context, cancellationToken).ConfigureAwait(false);
                if (current > known)
                    throw new InvalidOperationException(
                        $"the tracking database {DatabaseName} has schema version {current}, newer than this Arc knows (up to {known}): " +
                        "open it with the Arc that wrote it or a newer one");
                if (current >= target) return true;
                var step = migrations.Single(m => m.Version == current + 1);
                await context.ExecuteAsync(step.Sql, cancellationToken).ConfigureAwait(false);
                await context.ExecuteAsync("INSERT INTO schema_versions (version, description, applied_us) VALUES (@version, @description, @now)",
                    cancellationToken, ("@version", step.Version), ("@description", step.Description), ("@now", context.NowMicros)).ConfigureAwait(false);
                return false;
            }, cancellationToken).ConfigureAwait(false);
            if (done) return;
        }
    }

    /// <summary>The schema version the database is at (0 before the first step).</summary>
    internal Task<int> ReadSchemaVersionAsync(CancellationToken cancellationToken = default)
        => ReadAsync(context => CurrentVersionAsync(context, cancellationToken), cancellationToken);

    private static async Task<int> CurrentVersionAsync(StoreContext context, CancellationToken cancellationToken)
        => Convert.ToInt32(await context.ScalarAsync("SELECT COALESCE(MAX(version), 0) FROM schema_versions", cancellationToken).ConfigureAwait(false));
}
