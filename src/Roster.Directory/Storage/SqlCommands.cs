using System.Data.Common;
using Npgsql;

namespace Roster.Directory.Storage;

/// <summary>A thin layer over ADO.NET: parameterised commands in one line. Every value reaches the
/// database as a parameter, never as text inside the SQL.</summary>
public static class SqlCommands
{
    /// <summary>
    /// A command for a statement whose one plan suits every value: lookups by a key, inserts, updates
    /// of one row by id.
    /// PostgreSQL prepares it once per pooled connection and keeps it, so it is parsed and planned
    /// once, not on each request (a GET by id's reads were mostly planning: bench/README.md). Not for
    /// a statement whose best plan depends on its values (an <c>IN</c> list, <c>OFFSET</c>, a filter):
    /// PostgreSQL may settle on one generic plan for it, and a generic plan of a group change's members
    /// check (500 ids in an IN list) took 450 ms a statement. On SQLite, where every
    /// read's statement is kept prepared already, the same as <see cref="Command"/>.
    /// </summary>
    public static DbCommand PreparedCommand(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        if (connection is not NpgsqlConnection postgres) return connection.Command(sql, transaction);
        // A command of its own, not the connection's recycled one (CreateCommand), which the mark
        // would follow to its next, unrelated use.
        var command = new NpgsqlCommand(sql, postgres, (NpgsqlTransaction?)transaction);
        ToPrepare.AddOrUpdate(command, Marker);
        return command;
    }

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbCommand, object> ToPrepare = new();
    static readonly object Marker = new();

    /// <summary>Prepares a command of <see cref="PreparedCommand"/> (its parameters are bound by now,
    /// which gives their types); on a connection that prepared the same SQL before, Npgsql reuses that
    /// statement without a round trip.</summary>
    static Task PrepareIfAskedAsync(DbCommand command, CancellationToken cancellationToken) =>
        command is NpgsqlCommand && ToPrepare.Remove(command) ? command.PrepareAsync(cancellationToken) : Task.CompletedTask;

    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        if (SqliteStatementCache.CommandFor(connection, sql, transaction) is { } prepared) return prepared;
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>The names of <paramref name="count"/> parameters, <c>@m0, @m1, …</c> for the prefix
    /// <c>@m</c>: an <c>IN</c> list's SQL is written before its command is taken, so that a kept-open
    /// connection reuses the command prepared for that text (<see cref="SqliteStatementCache"/>).</summary>
    public static string ParameterList(string prefix, int count) =>
        string.Join(", ", Enumerable.Range(0, count).Select(i => prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Binds the values of a <see cref="ParameterList"/> of the same prefix.</summary>
    public static DbCommand WithList(this DbCommand command, string prefix, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++) command.With(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    public static DbCommand With(this DbCommand command, DbParameter parameter)
    {
        command.Parameters.Add(parameter);
        return command;
    }

    public static async Task<int> ExecuteAsync(this DbCommand command, CancellationToken cancellationToken = default)
    {
        await using (command)
        {
            await PrepareIfAskedAsync(command, cancellationToken);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static async Task<long> ScalarLongAsync(this DbCommand command, CancellationToken cancellationToken = default)
    {
        await using (command)
        {
            await PrepareIfAskedAsync(command, cancellationToken);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public static async Task<List<T>> ListAsync<T>(this DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken = default)
    {
        await using (command)
        {
            await PrepareIfAskedAsync(command, cancellationToken);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<T>();
            while (await reader.ReadAsync(cancellationToken)) list.Add(read(reader));
            return list;
        }
    }

    public static async Task<T?> SingleOrDefaultAsync<T>(this DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken = default) where T : class
    {
        await using (command)
        {
            await PrepareIfAskedAsync(command, cancellationToken);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
        }
    }

    public static string? StringOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? LongOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static DateTimeOffset Time(this DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? TimeOrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>Times are stored as milliseconds since the Unix epoch (UTC) in both databases: one
    /// representation, exact comparisons, and the precision SCIM's meta carries.</summary>
    public static long ToDb(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? ToDb(this DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();
}
