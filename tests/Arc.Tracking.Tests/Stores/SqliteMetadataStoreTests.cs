using Arc.Tracking.Server;
using Arc.Tracking.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Arc.Tracking.Tests.Stores;

/// <summary>The metadata store contract against SQLite: a fresh database file in a scratch folder per test.</summary>
public sealed class SqliteMetadataStoreTests : SqlMetadataStoreContractTests
{
    private readonly DirectoryInfo _scratch = TestScratch.Create();

    protected override Task<string> NewDatabaseAsync()
        => Task.FromResult(Path.Combine(_scratch.FullName, $"metadata-{Guid.NewGuid():N}.db"));

    protected override async Task<SqlMetadataStore> OpenStoreAsync(string database, int? schemaVersion = null)
        => await SqliteMetadataStore.OpenAsync(database, schemaVersion, clock: null, Cancel);

    protected override async Task ExecuteRawAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Cancel);
    }

    protected override (string Install, string Remove) FailingEventsTrigger =>
        ("CREATE TRIGGER arc_test_fail BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
         "DROP TRIGGER arc_test_fail;");

    protected override Task DisposeDatabasesAsync()
    {
        TestScratch.Delete(_scratch);
        return Task.CompletedTask;
    }
}
