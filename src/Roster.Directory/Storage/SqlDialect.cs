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

    /// <summary>Appended to a SELECT of rows to delete as housekeeping: rows another transaction holds
    /// are left for a later pass, so cleanup never waits for (or deadlocks with) the work it tidies
    /// after. SQLite needs nothing, having one writer at a time.</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>True when the exception is the violation of a unique index: the database, not a
    /// read-then-write, decides that a userName is taken.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>True when the database aborted a transaction only because it met another one (a
    /// deadlock victim, a serialization failure): run again, it succeeds. SQLite has one writer at a
    /// time and never aborts a transaction so.</summary>
    public virtual bool IsConflictAbort(Exception exception) => false;

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

    /// <summary>The text at <paramref name="path"/> inside a JSON document (null when absent).</summary>
    public abstract string JsonText(string source, IReadOnlyList<string> path);

    /// <summary>The JSON value at <paramref name="path"/>, for further paths into it.</summary>
    public abstract string JsonDocument(string source, IReadOnlyList<string> path);

    /// <summary>The boolean at <paramref name="path"/>, comparable with a boolean parameter.</summary>
    public abstract string JsonBoolean(string source, IReadOnlyList<string> path);

    /// <summary>The number at <paramref name="path"/>, comparable with a numeric parameter.</summary>
    public abstract string JsonNumber(string source, IReadOnlyList<string> path);

    /// <summary>True when some element of the JSON array at <paramref name="path"/> satisfies
    /// <paramref name="condition"/>, which reads the element through <see cref="ElementOf"/>.</summary>
    public abstract string AnyElement(string source, IReadOnlyList<string> path, string alias, string condition);

    /// <summary>A number to compare with <see cref="JsonNumber"/>, as a parameter value the database
    /// compares as a number.</summary>
    public virtual object NumberParameter(decimal value) => value;

    /// <summary>The JSON of the current element inside <see cref="AnyElement"/>.</summary>
    public abstract string ElementOf(string alias);

    /// <summary>The current element inside <see cref="AnyElement"/> as text, when it is a scalar.</summary>
    public abstract string ElementText(string alias);

    /// <summary>Attribute names reach SQL text only from Roster's own schema definitions, never from
    /// a client; this guard keeps it that way should a schema ever carry a strange name.</summary>
    protected static string CheckedName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '_' or '-' or '$')
            ? name
            : throw new ArgumentException($"'{name}' cannot be used as a JSON path segment.", nameof(name));
}

public sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override string Name => "sqlite";

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public override string ForUpdate => "";

    public override string ForUpdateSkipLocked => "";

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

    /// <summary>Microsoft.Data.Sqlite binds a decimal as TEXT, and SQLite orders every number before
    /// every text: 12 &gt; '5' would be false. Integers go as integers, the rest as reals.</summary>
    public override object NumberParameter(decimal value) =>
        decimal.Truncate(value) == value && value is >= long.MinValue and <= long.MaxValue ? (long)value : (double)value;

    public override string Contains(string column, string parameter) => $"instr({column}, {parameter}) > 0";

    public override string EndsWith(string column, string parameter) =>
        $"(length({parameter}) = 0 OR substr({column}, -length({parameter})) = {parameter})";

    static string Path(IReadOnlyList<string> path) => "'$" + string.Concat(path.Select(p => ".\"" + CheckedName(p) + "\"")) + "'";

    public override string JsonText(string source, IReadOnlyList<string> path) => $"json_extract({source}, {Path(path)})";

    public override string JsonDocument(string source, IReadOnlyList<string> path) => $"json_extract({source}, {Path(path)})";

    public override string JsonBoolean(string source, IReadOnlyList<string> path) => $"json_extract({source}, {Path(path)})";

    public override string JsonNumber(string source, IReadOnlyList<string> path) => $"json_extract({source}, {Path(path)})";

    public override string AnyElement(string source, IReadOnlyList<string> path, string alias, string condition) =>
        $"EXISTS (SELECT 1 FROM json_each({source}, {Path(path)}) AS {alias} WHERE json_type({source}, {Path(path)}) = 'array' AND {condition})";

    public override string ElementOf(string alias) => $"{alias}.value";

    public override string ElementText(string alias) => $"{alias}.value";
}

public sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    public override string Name => "postgres";

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override string ForUpdate => " FOR UPDATE";

    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsConflictAbort(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

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

    static string Path(IReadOnlyList<string> path) => "'{" + string.Join(",", path.Select(p => "\"" + CheckedName(p) + "\"")) + "}'";

    public override string JsonText(string source, IReadOnlyList<string> path) => $"({source} #>> {Path(path)})";

    public override string JsonDocument(string source, IReadOnlyList<string> path) => $"({source} #> {Path(path)})";

    public override string JsonBoolean(string source, IReadOnlyList<string> path) =>
        $"(CASE jsonb_typeof({source} #> {Path(path)}) WHEN 'boolean' THEN ({source} #> {Path(path)})::boolean END)";

    public override string JsonNumber(string source, IReadOnlyList<string> path) =>
        $"(CASE jsonb_typeof({source} #> {Path(path)}) WHEN 'number' THEN ({source} #> {Path(path)})::numeric END)";

    public override string AnyElement(string source, IReadOnlyList<string> path, string alias, string condition) =>
        $"EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof({source} #> {Path(path)}) WHEN 'array' THEN {source} #> {Path(path)} ELSE '[]'::jsonb END) AS {alias}(v) WHERE {condition})";

    public override string ElementOf(string alias) => $"{alias}.v";

    public override string ElementText(string alias) => $"({alias}.v #>> '{{}}')";
}
