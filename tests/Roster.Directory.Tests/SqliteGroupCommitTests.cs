using Microsoft.Data.Sqlite;
using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>SQLite's writers share commits: what queued while a commit was under way is committed
/// together, each unit still whole or absent, each caller told its own outcome.</summary>
public sealed class SqliteGroupCommitTests
{
    /// <summary>A unit that holds the writer until released, so that the units queued behind it form
    /// one batch whatever the timing.</summary>
    static (Task Unit, TaskCompletionSource Release, TaskCompletionSource Started) Blocker(RosterDatabase database)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var unit = database.InTransactionAsync(async (c, t) =>
        {
            started.TrySetResult();
            await release.Task;
            await c.Command("INSERT INTO scratch (n) VALUES (-1)", t).ExecuteAsync();
        });
        return (unit, release, started);
    }

    static async Task<RosterDatabase> ScratchAsync(DirectoryFixture fixture)
    {
        var database = new RosterDatabase(fixture.Options);
        await database.InTransactionAsync((c, t) => c.Command("CREATE TABLE scratch (n integer PRIMARY KEY)", t).ExecuteAsync());
        return database;
    }

    static Task<List<long>> RowsAsync(RosterDatabase database) =>
        database.ReadAsync(c => c.Command("SELECT n FROM scratch WHERE n >= 0 ORDER BY n").ListAsync(r => r.GetInt64(0)));

    [Fact]
    public async Task Units_queued_during_a_commit_are_committed_together_and_each_caller_gets_its_result()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var database = await ScratchAsync(fixture);
        var before = database.SqliteCommits!.Value;

        var (blocker, release, started) = Blocker(database);
        await started.Task;
        var units = Enumerable.Range(0, 10).Select(n => database.InTransactionAsync(async (c, t) =>
        {
            await c.Command("INSERT INTO scratch (n) VALUES (@n)", t).With("@n", n).ExecuteAsync();
            return n * 10;
        })).ToList();
        release.SetResult();
        await blocker;

        Assert.Equal(Enumerable.Range(0, 10).Select(n => n * 10), await Task.WhenAll(units));
        Assert.Equal(Enumerable.Range(0, 10).Select(n => (long)n), await RowsAsync(database));
        Assert.Equal(before + 2, database.SqliteCommits!.Value); // the blocker's commit, then one for the ten
    }

    [Fact]
    public async Task A_unit_that_fails_leaves_nothing_and_the_others_of_its_batch_commit()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var database = await ScratchAsync(fixture);
        await database.InTransactionAsync((c, t) => c.Command("INSERT INTO scratch (n) VALUES (100)", t).ExecuteAsync());

        var (blocker, release, started) = Blocker(database);
        await started.Task;
        var units = Enumerable.Range(0, 6).Select(n => database.InTransactionAsync(async (c, t) =>
        {
            await c.Command("INSERT INTO scratch (n) VALUES (@n)", t).With("@n", n).ExecuteAsync();
            // Unit 2 fails in its own code after writing; unit 4 on a constraint, after writing its row.
            if (n == 2) throw new InvalidOperationException("unit 2 refuses");
            if (n == 4) await c.Command("INSERT INTO scratch (n) VALUES (100)", t).ExecuteAsync();
            return n;
        })).ToList();
        release.SetResult();
        await blocker;

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => units[2]);
        Assert.Equal("unit 2 refuses", refused.Message);
        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => units[4]);
        Assert.True(database.Dialect.IsUniqueViolation(duplicate));
        foreach (var n in new[] { 0, 1, 3, 5 }) Assert.Equal(n, await units[n]);
        Assert.Equal([0L, 1, 3, 5, 100], await RowsAsync(database));
    }

    [Fact]
    public async Task A_caller_that_gives_up_while_queued_is_told_so_and_its_work_never_runs()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var database = await ScratchAsync(fixture);

        var (blocker, release, started) = Blocker(database);
        await started.Task;
        using var giveUp = new CancellationTokenSource();
        var ran = false;
        var abandoned = database.InTransactionAsync(async (c, t) =>
        {
            ran = true;
            await c.Command("INSERT INTO scratch (n) VALUES (7)", t).ExecuteAsync();
        }, giveUp.Token);
        var kept = database.InTransactionAsync((c, t) => c.Command("INSERT INTO scratch (n) VALUES (8)", t).ExecuteAsync());
        giveUp.Cancel();
        release.SetResult();
        await blocker;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await kept;
        Assert.False(ran);
        Assert.Equal([8L], await RowsAsync(database));
    }

    [Fact]
    public async Task Commits_are_synced_to_disk()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var database = await ScratchAsync(fixture);
        var mode = await database.InTransactionAsync((c, t) => c.Command("PRAGMA synchronous", t).ListAsync(r => r.GetInt64(0)));
        Assert.Equal(2, mode.Single()); // FULL
    }
}
