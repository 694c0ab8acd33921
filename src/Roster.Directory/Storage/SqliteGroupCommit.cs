using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Roster.Directory.Storage;

/// <summary>
/// Group commit for SQLite. A durable commit waits for the disk (an fsync of the WAL, a millisecond
/// or more), and SQLite has one writer: committing each change alone caps a server at a few hundred
/// changes a second however idle its cores are. Here the writers of a process queue, and one loop
/// runs whatever has queued since its last commit in one transaction, each unit of work in a
/// savepoint of its own, then commits once: one fsync for the whole batch.
///
/// What a caller sees is unchanged. A unit of work still happens whole or not at all: if it throws,
/// its savepoint is rolled back (the others of the batch keep theirs) and the caller gets its
/// exception. It still returns only once its changes are committed and durable. Units run one after
/// another, so each sees the ones before it, as when they queued on a lock. A unit alone in the queue
/// is committed at once: batching adds no wait, it only shares the commits that are waited for anyway.
/// </summary>
internal sealed class SqliteGroupCommit
{
    /// <summary>Units a batch at most: enough to share a commit widely, few enough that the first of a
    /// batch does not wait long for the last.</summary>
    public const int MaxBatch = 64;

    /// <summary>One loop per database file: several directories of one process (tests, the CLI's
    /// verbs) may share a file, and SQLite has one writer per file anyway.</summary>
    static readonly ConcurrentDictionary<string, SqliteGroupCommit> ByFile = new();

    public static SqliteGroupCommit For(RosterDatabase database) =>
        ByFile.GetOrAdd(database.Options.ConnectionString, _ => new SqliteGroupCommit(database));

    abstract class Unit(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction);
        public abstract void Succeed();
        public abstract void Fail(Exception exception);
    }

    sealed class Unit<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) : Unit(cancellationToken)
    {
        readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        T? result;

        public Task<T> Task => completion.Task;
        public override async Task RunAsync(DbConnection connection, DbTransaction transaction) => result = await work(connection, transaction);
        public override void Succeed() => completion.TrySetResult(result!);
        public override void Fail(Exception exception)
        {
            if (exception is OperationCanceledException canceled && CancellationToken.IsCancellationRequested)
                completion.TrySetCanceled(canceled.CancellationToken.IsCancellationRequested ? canceled.CancellationToken : CancellationToken);
            else
                completion.TrySetException(exception);
        }
    }

    readonly RosterDatabase database;
    readonly Channel<Unit> queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    long commits;

    SqliteGroupCommit(RosterDatabase database)
    {
        this.database = database;
        _ = Task.Run(LoopAsync);
    }

    /// <summary>Transactions committed so far: fewer than the units run when batches formed.</summary>
    public long Commits => Interlocked.Read(ref commits);

    public Task<T> RunAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var unit = new Unit<T>(work, cancellationToken);
        if (!queue.Writer.TryWrite(unit)) throw new InvalidOperationException("The SQLite write queue is closed.");
        return unit.Task;
    }

    async Task LoopAsync()
    {
        var batch = new List<Unit>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var unit))
            {
                // A caller that gave up while queued is told so, and its work never runs.
                if (unit.CancellationToken.IsCancellationRequested) unit.Fail(new OperationCanceledException(unit.CancellationToken));
                else batch.Add(unit);
            }
            if (batch.Count > 0) await CommitAsync(batch);
        }
    }

    /// <summary>The one connection the batches are written on, kept open between them so that it
    /// keeps its prepared statements (<see cref="SqliteStatementCache"/>): a create runs about ten
    /// statements, each prepared anew on a connection of its own before.</summary>
    SqliteConnection? writer;

    async Task<SqliteConnection> OpenWriterAsync()
    {
        var connection = (SqliteConnection)await database.OpenAsync();
        try
        {
            // Durable means synced before the caller hears of it: FULL syncs the WAL at each commit
            // (a per-connection setting; it is SQLite's default, said to stay so).
            await connection.Command("PRAGMA synchronous = FULL").ExecuteAsync();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        SqliteStatementCache.Attach(connection);
        return connection;
    }

    async Task CommitAsync(List<Unit> batch)
    {
        // Outcomes are told after the commit, failures too: a caller whose unit failed on another's
        // row (a userName taken a moment earlier in the same batch) then finds that row committed.
        var failures = new Exception?[batch.Count];
        SqliteConnection? connection = null;
        try
        {
            connection = writer ??= await OpenWriterAsync();
            // BEGIN IMMEDIATE: the write lock up front, so that another process's writer (the CLI
            // beside the server) queues in the busy handler instead of failing on an upgrade.
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable);
            for (var i = 0; i < batch.Count; i++)
            {
                var name = "unit" + i;
                await transaction.SaveAsync(name);
                try
                {
                    await batch[i].RunAsync(connection, transaction);
                    await transaction.ReleaseAsync(name);
                }
                catch (Exception e)
                {
                    // Undo this unit alone; if even that fails, the transaction is unusable and the
                    // whole batch fails below.
                    failures[i] = e;
                    await transaction.RollbackAsync(name);
                    await transaction.ReleaseAsync(name);
                }
            }
            await transaction.CommitAsync();
            Interlocked.Increment(ref commits);
        }
        catch (Exception e)
        {
            // Whatever state the failure left the writer in, the next batch starts on a fresh one.
            writer = null;
            if (connection is not null) await connection.DisposeAsync();
            for (var i = 0; i < batch.Count; i++) batch[i].Fail(failures[i] ?? e);
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure) batch[i].Fail(failure);
            else batch[i].Succeed();
        }
    }
}
