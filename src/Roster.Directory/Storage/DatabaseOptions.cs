using Microsoft.Data.Sqlite;

namespace Roster.Directory.Storage;

/// <summary>Where Roster keeps its data: an embedded SQLite file in a folder (the default), or a
/// PostgreSQL server named by a connection string.</summary>
public sealed record DatabaseOptions(SqlDialect Dialect, string ConnectionString, string Description)
{
    public const string SqliteFileName = "roster.db";

    public static DatabaseOptions Sqlite(string dataDirectory)
    {
        var fullPath = Path.GetFullPath(dataDirectory);
        try
        {
            System.IO.Directory.CreateDirectory(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RosterException($"Cannot use the data folder '{fullPath}': {e.Message}", e);
        }
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(fullPath, SqliteFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = true,
            // The CLI and a running server share the file: a writer waits for the other's lock.
            DefaultTimeout = 30,
        };
        return new DatabaseOptions(SqliteDialect.Instance, builder.ToString(), $"SQLite {builder.DataSource}");
    }

    public static DatabaseOptions Postgres(string connectionString)
    {
        Npgsql.NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new RosterException($"The PostgreSQL connection string is not valid: {e.Message}");
        }
        KeepPreparedStatements(builder, connectionString);
        // Never echo the password: the description is printed and logged.
        var where = $"PostgreSQL {builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username}";
        return new DatabaseOptions(PostgresDialect.Instance, builder.ConnectionString, where);
    }

    /// <summary>
    /// Unless the connection string says otherwise, a connection returned to the pool is not reset
    /// with <c>DISCARD ALL</c>: that would drop the statements it prepared
    /// (<see cref="SqlCommands.PreparedCommand"/>), and Roster keeps no session state to reset (its
    /// one advisory lock is transaction-scoped, it sets nothing for a session). Npgsql's automatic
    /// preparation of every statement is not turned on: PostgreSQL may then run a statement whose
    /// best plan depends on its values with one generic plan (bench/README.md).
    /// </summary>
    static void KeepPreparedStatements(Npgsql.NpgsqlConnectionStringBuilder builder, string connectionString)
    {
        // Npgsql's builder knows every keyword whether given or not: what was given is read from the text.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        if (!given.Contains("noresetonclose")) builder.NoResetOnClose = true;
    }
}
