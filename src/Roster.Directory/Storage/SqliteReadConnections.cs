using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Roster.Directory.Storage;

/// <summary>
/// SQLite connections for reads, kept open between reads so that each keeps its prepared statements
/// (<see cref="SqliteStatementCache"/>). Microsoft.Data.Sqlite pools the database handles, but every
/// open of a pooled connection runs <c>PRAGMA foreign_keys</c> again, and closing it finalizes every
/// statement its commands prepared: profiled on GET /Users/{id} (issue 9), preparing the same three
/// statements anew took about a third of the SCIM request's CPU. A read takes an idle connection or
/// opens one, and gives it back when it succeeded; one that failed is closed, whatever state it was
/// left in. A few are kept, as many as reads run at once on this machine's cores; more are closed.
/// </summary>
internal sealed class SqliteReadConnections(RosterDatabase database)
{
    static readonly int Kept = Math.Max(2, Environment.ProcessorCount);

    readonly ConcurrentQueue<SqliteConnection> idle = new();
    int idleCount;

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = Take() ?? await OpenAsync(cancellationToken);
        var reusable = false;
        try
        {
            var result = await work(connection);
            reusable = connection.State == ConnectionState.Open;
            return result;
        }
        finally
        {
            if (!reusable || !GiveBack(connection)) await connection.DisposeAsync();
        }
    }

    async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)await database.OpenAsync(cancellationToken);
        SqliteStatementCache.Attach(connection);
        return connection;
    }

    SqliteConnection? Take()
    {
        if (!idle.TryDequeue(out var connection)) return null;
        Interlocked.Decrement(ref idleCount);
        return connection;
    }

    bool GiveBack(SqliteConnection connection)
    {
        if (Interlocked.Increment(ref idleCount) > Kept)
        {
            Interlocked.Decrement(ref idleCount);
            return false;
        }
        idle.Enqueue(connection);
        return true;
    }
}
