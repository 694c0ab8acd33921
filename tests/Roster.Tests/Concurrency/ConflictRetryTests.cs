using Npgsql;
using Roster.Directory;
using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Tests.Concurrency;

/// <summary>PostgreSQL aborts one of two transactions that deadlock (and, under stricter isolation, one
/// that cannot be serialized); RosterDatabase.InTransactionAsync runs the aborted one again, so that no
/// client ever sees two changes collide. Other failures are not retried, and retrying ends.</summary>
public sealed class ConflictRetryTests
{
    static async Task<(TestDatabase Database, RosterDatabase Roster)> ProbeDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync(TestDatabase.Postgres);
        var roster = new RosterDatabase(RosterTestHost.StoreOf(database));
        await roster.InTransactionAsync(async (c, t) =>
        {
            await c.Command("CREATE TABLE retry_probe (id integer PRIMARY KEY, n integer NOT NULL)", t).ExecuteNonQueryAsync();
            await c.Command("INSERT INTO retry_probe VALUES (1, 0), (2, 0)", t).ExecuteNonQueryAsync();
        });
        return (database, roster);
    }

    [Fact]
    public async Task A_deadlock_victim_is_run_again_and_both_changes_are_kept()
    {
        var (database, roster) = await ProbeDatabaseAsync();
        await using var _ = database;
        var attempts = new int[2];
        var locked = new[] { new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };

        // Transaction 0 locks row 1 then row 2, transaction 1 row 2 then row 1; on their first attempt
        // each waits until the other holds its first row: a deadlock PostgreSQL must break.
        Task Change(int which) => roster.InTransactionAsync(async (c, t) =>
        {
            var first = Interlocked.Increment(ref attempts[which]) == 1;
            var (a, b) = which == 0 ? (1, 2) : (2, 1);
            await c.Command($"UPDATE retry_probe SET n = n + 1 WHERE id = {a}", t).ExecuteNonQueryAsync();
            if (first)
            {
                locked[which].SetResult();
                await locked[1 - which].Task;
            }
            await c.Command($"UPDATE retry_probe SET n = n + 1 WHERE id = {b}", t).ExecuteNonQueryAsync();
        });

        await Task.WhenAll(Change(0), Change(1)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(3, attempts.Sum()); // one of them ran twice
        var counts = await roster.ReadAsync(c => c.Command("SELECT n FROM retry_probe ORDER BY id").ListAsync(r => r.GetInt32(0)));
        Assert.Equal([2, 2], counts); // each change counted once: the aborted attempt left nothing
    }

    [Fact]
    public async Task A_change_aborted_every_time_ends_after_the_bounded_attempts_as_a_RosterException()
    {
        var (database, roster) = await ProbeDatabaseAsync();
        await using var _ = database;
        var attempts = 0;
        var refused = await Assert.ThrowsAsync<RosterException>(() => roster.InTransactionAsync(async (c, t) =>
        {
            attempts++;
            await c.Command("UPDATE retry_probe SET n = n + 1 WHERE id = 1", t).ExecuteNonQueryAsync();
            throw new PostgresException("could not serialize access due to concurrent update", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure);
        }));
        Assert.Equal(RosterDatabase.ConflictAttempts, attempts);
        Assert.Contains("conflicting", refused.Message);
        Assert.Equal([0], await roster.ReadAsync(c => c.Command("SELECT n FROM retry_probe WHERE id = 1").ListAsync(r => r.GetInt32(0))));
    }

    [Fact]
    public async Task Any_other_failure_is_not_run_again()
    {
        var (database, roster) = await ProbeDatabaseAsync();
        await using var _ = database;
        var attempts = 0;
        var violation = await Assert.ThrowsAsync<PostgresException>(() => roster.InTransactionAsync(async (c, t) =>
        {
            attempts++;
            await c.Command("INSERT INTO retry_probe VALUES (1, 0)", t).ExecuteNonQueryAsync();
        }));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, violation.SqlState);
        Assert.Equal(1, attempts);
    }
}
