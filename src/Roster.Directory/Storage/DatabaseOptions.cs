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
        PrepareHotStatements(builder, connectionString);
        // Never echo the password: the description is printed and logged.
        var where = $"PostgreSQL {builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username}";
        return new DatabaseOptions(PostgresDialect.Instance, builder.ConnectionString, where);
    }

    /// <summary>How many distinct statements a pooled PostgreSQL connection keeps prepared.</summary>
    public const int AutoPreparedStatements = 128;

    /// <summary>
    /// Unless the connection string says otherwise, Npgsql prepares a statement the second time a
    /// connection runs it and keeps it prepared across the pool (which then resets a returned
    /// connection without <c>DISCARD ALL</c>, as Roster keeps no session state: its only advisory lock
    /// is transaction-scoped). Unprepared, every query of a request is parsed and planned again; a
    /// GET by id's three went from 1,300 to 2,700 req/s (bench/README.md). Every statement names its
    /// columns, so a column added by a newer instance's migration does not change a prepared result.
    /// </summary>
    static void PrepareHotStatements(Npgsql.NpgsqlConnectionStringBuilder builder, string connectionString)
    {
        // Npgsql's builder knows every keyword whether given or not: what was given is read from the text.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        if (given.Contains("maxautoprepare") || given.Contains("noresetonclose")) return;
        builder.MaxAutoPrepare = AutoPreparedStatements;
        builder.AutoPrepareMinUsages = 2;
        builder.NoResetOnClose = true;
    }
}
