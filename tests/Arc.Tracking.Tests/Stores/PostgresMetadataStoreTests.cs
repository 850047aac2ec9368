using Arc.Tracking.Server;
using Arc.Tracking.Tests.Support;
using Npgsql;
using Xunit;

namespace Arc.Tracking.Tests.Stores;

/// <summary>The metadata store contract against a real PostgreSQL 15: a fresh database per test in the run's one cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMetadataStoreTests(PostgresCluster cluster) : SqlMetadataStoreContractTests
{
    protected override Task<string> NewDatabaseAsync() => cluster.CreateDatabaseAsync();

    protected override async Task<SqlMetadataStore> OpenStoreAsync(string database, int? schemaVersion = null)
        => await PostgresMetadataStore.OpenAsync(database, schemaVersion, clock: null, Cancel);

    protected override async Task ExecuteRawAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }

    protected override (string Install, string Remove) FailingEventsTrigger =>
        ("""
         CREATE FUNCTION arc_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
         CREATE TRIGGER arc_test_fail BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION arc_test_fail();
         """,
         "DROP TRIGGER arc_test_fail ON events; DROP FUNCTION arc_test_fail();");
}
