using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Roster.Directory.Storage;

/// <summary>The database of one Roster deployment: opens connections, runs units of work in a
/// transaction, and applies the migrations.</summary>
public sealed class RosterDatabase(DatabaseOptions options)
{
    /// <summary>SQLite has one writer at a time: the writers of this process queue in order, and what
    /// queued together is committed together (<see cref="SqliteGroupCommit"/>), instead of each waiting
    /// in SQLite's busy handler, which polls with sleeps (a 300 ms tail, bench/Roster.Bench), and then
    /// for a disk sync of its own. Another process on the same file still meets the busy handler, which
    /// is rare (the CLI beside a server).</summary>
    SqliteGroupCommit? groupCommit;

    public DatabaseOptions Options { get; } = options;
    public SqlDialect Dialect => Options.Dialect;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = Dialect.CreateConnection(Options.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            throw new RosterException($"Cannot open the database ({Options.Description}): {e.Message}", e);
        }
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction: everything it writes is committed
    /// together, or nothing is if it throws. On PostgreSQL it may run more than once (a deadlock victim
    /// is run again, <see cref="ConflictAttempts"/>), so it acts through its connection only.</summary>
    public Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        if (Dialect is not SqliteDialect) return RunTransactionAsync(work, cancellationToken);
        groupCommit ??= SqliteGroupCommit.For(this);
        return groupCommit.RunAsync(work, cancellationToken);
    }

    /// <summary>SQLite transactions committed by this process on this file: fewer than the units of
    /// work when concurrent ones were committed together. Null on PostgreSQL.</summary>
    internal long? SqliteCommits => Dialect is SqliteDialect ? SqliteGroupCommit.For(this).Commits : null;

    /// <summary>How many times a change is run that the database keeps aborting as a deadlock victim
    /// or serialization failure, before its caller hears of it (as the directory being unavailable).</summary>
    public const int ConflictAttempts = 5;

    /// <summary>A transaction PostgreSQL aborted for meeting another (deadlock, serialization failure)
    /// wrote nothing, and run again it succeeds: it is run again here, so that no client sees the
    /// collision of two changes it cannot help. <paramref name="work"/> must therefore be repeatable:
    /// everything it does goes through the connection it is given.</summary>
    async Task<T> RunTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunTransactionOnceAsync(work, cancellationToken);
            }
            catch (Exception e) when (Dialect.IsConflictAbort(e) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt == ConflictAttempts)
                    throw new RosterException($"The database aborted a change {attempt} times as conflicting with concurrent changes: {e.Message}", e);
                // A random pause, growing with the attempts, so that the two that met do not meet again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
            }
        }
    }

    async Task<T> RunTransactionOnceAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // PostgreSQL: read committed with explicit row locks (FOR UPDATE) where a row is read and then written.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken = default) =>
        await InTransactionAsync<bool>(async (c, t) => { await work(c, t); return true; }, cancellationToken);

    /// <summary>Runs a read on a connection of its own (for its duration), outside any explicit transaction.</summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken = default)
    {
        if (Dialect is SqliteDialect)
        {
            var connections = LazyInitializer.EnsureInitialized(ref readConnections, () => new SqliteReadConnections(this));
            return await connections.ReadAsync(work, cancellationToken);
        }
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection);
    }

    /// <summary>SQLite's reads reuse open connections and their prepared statements (see there why).</summary>
    SqliteReadConnections? readConnections;

    public Task MigrateAsync(CancellationToken cancellationToken = default) => new Migrator(this).ApplyAsync(cancellationToken);

    /// <summary>Applies the migrations up to <paramref name="version"/> only: the database as an older
    /// Roster left it, for tests that a migration keeps what it finds.</summary>
    public Task MigrateThroughAsync(int version, CancellationToken cancellationToken = default) =>
        new Migrator(this).ApplyAsync(version, cancellationToken);
}
