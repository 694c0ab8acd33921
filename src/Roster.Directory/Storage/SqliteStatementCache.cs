using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Roster.Directory.Storage;

/// <summary>
/// The commands of one kept-open connection (<see cref="SqliteReadConnections"/>, the writer of
/// <see cref="SqliteGroupCommit"/>), one per SQL
/// text, each keeping the statements SQLite prepared for it: run again, a command only resets and
/// rebinds them. <see cref="SqlCommands.Command"/> hands them out; a command handed out is not
/// handed out again until its user has disposed it (a nested read of the same SQL gets a command of
/// its own), and disposing it clears its parameters instead of finalizing its statements.
/// </summary>
internal sealed class SqliteStatementCache
{
    /// <summary>Distinct SQL texts kept per connection: the reads' texts are a few dozen; texts built
    /// per request (a filter's SQL) beyond this are prepared and finalized as before.</summary>
    const int MaxCommands = 128;

    static readonly ConditionalWeakTable<SqliteConnection, SqliteStatementCache> Caches = new();

    readonly Dictionary<string, ReusableSqliteCommand> commands = new(StringComparer.Ordinal);

    public static void Attach(SqliteConnection connection) => Caches.AddOrUpdate(connection, new SqliteStatementCache());

    /// <summary>A command for <paramref name="sql"/> on <paramref name="connection"/> when it is a
    /// kept-open connection (the reads', the group commit's writer), in <paramref name="transaction"/>;
    /// null otherwise.</summary>
    public static DbCommand? CommandFor(DbConnection connection, string sql, DbTransaction? transaction)
    {
        // A command taken with no text gets its text afterwards, which would then differ from its key.
        if (sql.Length == 0 || connection is not SqliteConnection sqlite || !Caches.TryGetValue(sqlite, out var cache)) return null;
        var command = cache.Take(sqlite, sql);
        if (command is not null) command.Transaction = (SqliteTransaction?)transaction;
        return command;
    }

    ReusableSqliteCommand? Take(SqliteConnection connection, string sql)
    {
        // A connection serves one read at a time, and a read is one flow of awaits: no lock is needed.
        if (commands.TryGetValue(sql, out var command))
        {
            if (command.InUse) return null;
            command.InUse = true;
            return command;
        }
        if (commands.Count >= MaxCommands) return null;
        command = new ReusableSqliteCommand(sql, connection) { InUse = true, CommandTimeout = connection.DefaultTimeout };
        commands.Add(sql, command);
        return command;
    }

    /// <summary>A command whose Dispose keeps its prepared statements for the next use: the reader its
    /// use opened has been disposed by then, which reset them.</summary>
    sealed class ReusableSqliteCommand(string sql, SqliteConnection connection) : SqliteCommand(sql, connection)
    {
        public bool InUse { get; set; }

        protected override void Dispose(bool disposing)
        {
            Parameters.Clear();
            Transaction = null;
            InUse = false;
        }
    }
}
