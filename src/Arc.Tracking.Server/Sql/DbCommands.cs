using System.Data.Common;

namespace Arc.Tracking.Server;

/// <summary>
/// Commands and readers over ADO.NET, the same for SQLite and PostgreSQL: parameters are written <c>@name</c> (both
/// providers accept that form), nulls become <see cref="DBNull"/>, and a NaN double is stored as SQL NULL (SQLite turns
/// a NaN it is given into NULL anyway; doing it in both stores keeps them alike) and read back as NaN. A −0.0 is stored
/// as 0.0: SQLite keeps an integral REAL as an integer and loses the sign, so both stores drop it.
/// </summary>
internal static class DbCommands
{
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) Add(command, name, value);
        return command;
    }

    public static DbParameter Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value switch
        {
            null => DBNull.Value,
            double d => Double(d),
            _ => value,
        };
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A double column where NULL stands for NaN.</summary>
    public static object Double(double value) => double.IsNaN(value) ? DBNull.Value : value + 0.0;

    public static double ReadDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? double.NaN : reader.GetDouble(ordinal);

    public static string? ReadNullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? ReadNullableLong(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        var command = Create(connection, transaction, sql, parameters);
        await using var commandDisposal = command.ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        var command = Create(connection, transaction, sql, parameters);
        await using var commandDisposal = command.ConfigureAwait(false);
        object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Runs a query and maps each row with <paramref name="map"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> map,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var command = Create(connection, transaction, sql, parameters);
        await using var commandDisposal = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }
}
