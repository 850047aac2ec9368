using Microsoft.Data.Sqlite;

namespace Arc.Bench.Tracking;

/// <summary>
/// The floor of the tracking ingest: SQLite with nothing of Arc between — the store's file settings (WAL,
/// synchronous=FULL) and its metric_points table and index (as schema version 1 makes them), one transaction and one
/// prepared INSERT per batch.
/// </summary>
internal sealed class RawSqlite : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    private RawSqlite(SqliteConnection connection) => _connection = connection;

    public static async Task<RawSqlite> OpenAsync(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var setup = connection.CreateCommand();
        setup.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE metric_points (
                id INTEGER PRIMARY KEY,
                experiment_id TEXT NOT NULL,
                key TEXT NOT NULL,
                step INTEGER NOT NULL,
                wall_us INTEGER NOT NULL,
                value REAL) STRICT;
            CREATE INDEX metric_points_series ON metric_points (experiment_id, key, step, id);
            """;
        await setup.ExecuteNonQueryAsync();
        return new RawSqlite(connection);
    }

    public async Task InsertAsync(string experimentId, IReadOnlyList<Arc.Tracking.MetricPoint> points)
    {
        await using var transaction = _connection.BeginTransaction(deferred: false);
        await using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO metric_points (experiment_id, key, step, wall_us, value) VALUES (@experiment, @key, @step, @wall, @value)";
        insert.Parameters.AddWithValue("@experiment", experimentId);
        var key = insert.Parameters.Add("@key", SqliteType.Text);
        var step = insert.Parameters.Add("@step", SqliteType.Integer);
        var wall = insert.Parameters.Add("@wall", SqliteType.Integer);
        var value = insert.Parameters.Add("@value", SqliteType.Real);
        insert.Prepare();
        foreach (var point in points)
        {
            key.Value = point.Key;
            step.Value = point.Step;
            wall.Value = (point.WallTime.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
            value.Value = point.Value;
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    public async Task<int> ReadAsync(string experimentId)
    {
        await using var select = _connection.CreateCommand();
        select.CommandText = "SELECT step, wall_us, value FROM metric_points WHERE experiment_id = @experiment AND key = 'loss' ORDER BY step, id";
        select.Parameters.AddWithValue("@experiment", experimentId);
        await using var reader = await select.ExecuteReaderAsync();
        var rows = new List<(long, long, double)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2)));
        return rows.Count;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
