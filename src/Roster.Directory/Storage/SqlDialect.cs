using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Roster.Directory.Storage;

/// <summary>
/// What differs between the two databases Roster runs on. Everything else (the tables, the queries)
/// is one model written once in the SQL both accept.
/// </summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>Appended to a SELECT that reads a row the transaction will then write, so that two
    /// writers of one member queue instead of losing an update. SQLite needs nothing: a write
    /// transaction there already holds the database's single write lock (BEGIN IMMEDIATE).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>True when the exception is the violation of a unique index: the database, not a
    /// read-then-write, decides that a userName is taken.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>A parameter for a JSON document column (jsonb in PostgreSQL, text in SQLite).</summary>
    public abstract DbParameter JsonParameter(string name, string json);

    /// <summary>The column types a migration names as {{json}}, {{boolean}} and {{identity}}.</summary>
    public abstract IReadOnlyDictionary<string, string> MigrationTypes { get; }

    /// <summary>Serializes schema changes across processes that start at the same time.</summary>
    public abstract string MigrationLockStatement { get; }

    /// <summary>Substring tests that compare exactly, character for character, in both databases
    /// (LIKE is case-insensitive in SQLite and case-sensitive in PostgreSQL, so it is not used).</summary>
    public abstract string Contains(string column, string parameter);

    public string StartsWith(string column, string parameter) => $"substr({column}, 1, length({parameter})) = {parameter}";

    public abstract string EndsWith(string column, string parameter);
}

public sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override string Name => "sqlite";

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public override string ForUpdate => "";

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public override DbParameter JsonParameter(string name, string json) => new SqliteParameter(name, json);

    public override string MigrationLockStatement => "";

    public override IReadOnlyDictionary<string, string> MigrationTypes { get; } = new Dictionary<string, string>
    {
        ["json"] = "text",
        ["boolean"] = "integer",
        ["identity"] = "integer PRIMARY KEY AUTOINCREMENT",
    };

    public override string Contains(string column, string parameter) => $"instr({column}, {parameter}) > 0";

    public override string EndsWith(string column, string parameter) =>
        $"(length({parameter}) = 0 OR substr({column}, -length({parameter})) = {parameter})";
}

public sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    public override string Name => "postgres";

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override string ForUpdate => " FOR UPDATE";

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override DbParameter JsonParameter(string name, string json) =>
        new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = json };

    // One arbitrary key shared by every Roster process: migrations run one at a time.
    public override string MigrationLockStatement => "SELECT pg_advisory_xact_lock(7461726);";

    public override IReadOnlyDictionary<string, string> MigrationTypes { get; } = new Dictionary<string, string>
    {
        ["json"] = "jsonb",
        ["boolean"] = "boolean",
        ["identity"] = "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    };

    public override string Contains(string column, string parameter) => $"strpos({column}, {parameter}) > 0";

    public override string EndsWith(string column, string parameter) => $"right({column}, length({parameter})) = {parameter}";
}
