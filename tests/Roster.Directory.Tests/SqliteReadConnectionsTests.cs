using System.Data.Common;
using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>SQLite's reads run on connections kept open, each keeping a prepared command per SQL
/// text: what a read sees is still exactly what is committed, with this read's parameters; a
/// command is never shared by two uses at once; a read that failed leaves its connection behind.</summary>
public sealed class SqliteReadConnectionsTests
{
    static async Task<RosterDatabase> ScratchAsync(DirectoryFixture fixture)
    {
        var database = new RosterDatabase(fixture.Options);
        await database.InTransactionAsync((c, t) => c.Command("CREATE TABLE scratch (n integer PRIMARY KEY, label text NOT NULL)", t).ExecuteAsync());
        await database.InTransactionAsync((c, t) => c.Command("INSERT INTO scratch (n, label) VALUES (1, 'one'), (2, 'two'), (3, 'three')", t).ExecuteAsync());
        return database;
    }

    const string LabelOf = "SELECT label FROM scratch WHERE n = @n";

    static Task<string?> LabelAsync(DbConnection c, long n) =>
        c.Command(LabelOf).With("@n", n).SingleOrDefaultAsync(r => r.GetString(0));

    [Fact]
    public async Task A_read_again_reuses_its_connection_and_its_command_with_the_new_parameters()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var database = await ScratchAsync(fixture);

        var (firstConnection, firstCommand, one) = await database.ReadAsync(async c =>
        {
            var command = c.Command(LabelOf).With("@n", 1L);
            return (c, command, await command.SingleOrDefaultAsync(r => r.GetString(0)));
        });
        var (secondConnection, secondCommand, two) = await database.ReadAsync(async c =>
        {
            var command = c.Command(LabelOf).With("@n", 2L);
            return (c, command, await command.SingleOrDefaultAsync(r => r.GetString(0)));
        });

        Assert.Equal(("one", "two"), (one, two));
        Assert.Same(firstConnection, secondConnection);
        Assert.Same(firstCommand, secondCommand); // prepared once, run twice
        Assert.Empty(secondCommand.Parameters); // the last use's values do not ride along
    }

    [Fact]
    public async Task A_nested_use_of_the_same_SQL_gets_a_command_of_its_own()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var database = await ScratchAsync(fixture);

        var labels = await database.ReadAsync(async c =>
        {
            await using var outer = c.Command("SELECT n FROM scratch ORDER BY n");
            await using var reader = await outer.ExecuteReaderAsync();
            var found = new List<string?>();
            // While the outer reader is open, the same inner SQL runs per row; a command is only
            // handed out again once disposed, so each of these runs on the cached one in turn.
            while (await reader.ReadAsync())
            {
                var inner = c.Command(LabelOf);
                var again = c.Command(LabelOf); // while inner is still out: another command
                Assert.NotSame(inner, again);
                found.Add(await inner.With("@n", reader.GetInt64(0)).SingleOrDefaultAsync(r => r.GetString(0)));
                await again.DisposeAsync();
            }
            return found;
        });

        Assert.Equal(["one", "two", "three"], labels);
    }

    [Fact]
    public async Task A_read_sees_what_was_committed_since_its_connection_last_read()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var database = await ScratchAsync(fixture);
        Assert.Equal("one", await database.ReadAsync(c => LabelAsync(c, 1)));

        await database.InTransactionAsync((c, t) => c.Command("UPDATE scratch SET label = 'uno' WHERE n = 1", t).ExecuteAsync());
        // A second database object on the same file stands for another process (the CLI beside a server).
        var other = new RosterDatabase(fixture.Options);
        await other.InTransactionAsync((c, t) => c.Command("UPDATE scratch SET label = 'dos' WHERE n = 2", t).ExecuteAsync());

        Assert.Equal("uno", await database.ReadAsync(c => LabelAsync(c, 1)));
        Assert.Equal("dos", await database.ReadAsync(c => LabelAsync(c, 2)));
    }

    [Fact]
    public async Task A_read_that_failed_does_not_give_its_connection_back()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var database = await ScratchAsync(fixture);
        DbConnection? failed = null;

        await Assert.ThrowsAsync<InvalidOperationException>(() => database.ReadAsync<string?>(async c =>
        {
            failed = c;
            await LabelAsync(c, 1);
            throw new InvalidOperationException("the read's own failure");
        }));

        var next = await database.ReadAsync(c => Task.FromResult(c));
        Assert.NotSame(failed, next);
        Assert.Equal(System.Data.ConnectionState.Closed, failed!.State); // closed, not kept
        Assert.Equal("two", await database.ReadAsync(c => LabelAsync(c, 2)));
    }

    [Fact]
    public async Task Concurrent_reads_each_get_a_connection_of_their_own()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var database = await ScratchAsync(fixture);
        var inside = 0;
        var allInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int readers = 6;

        var connections = await Task.WhenAll(Enumerable.Range(0, readers).Select(i => database.ReadAsync(async c =>
        {
            // All six hold their connections at once before any finishes.
            if (Interlocked.Increment(ref inside) == readers) allInside.SetResult();
            await allInside.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(new[] { "one", "two", "three" }[i % 3], await LabelAsync(c, i % 3 + 1));
            return c;
        })));

        Assert.Equal(readers, connections.Distinct().Count());
    }

    [Fact]
    public async Task A_command_given_its_text_afterwards_is_never_kept_under_another_text()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var database = await ScratchAsync(fixture);

        var (first, second, label) = await database.ReadAsync(async c =>
        {
            var first = c.Command("");
            first.CommandText = "SELECT count(*) FROM scratch";
            Assert.Equal(3, await first.ScalarLongAsync());
            await first.DisposeAsync();
            var second = c.Command("");
            await using var byText = c.Command(LabelOf).With("@n", 3L);
            return (first, second, await byText.SingleOrDefaultAsync(r => r.GetString(0)));
        });

        Assert.NotSame(first, second); // a kept one would carry the text it was last given
        Assert.Equal("", second.CommandText);
        Assert.Equal("three", label);
    }
}
