using System.Data.Common;
using Npgsql;
using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>On PostgreSQL a <see cref="SqlCommands.PreparedCommand"/> is prepared once a pooled
/// connection and stays prepared when the connection goes back to the pool; any other command is not
/// prepared at all (its plan may depend on its values); a connection string that says otherwise is obeyed.</summary>
public sealed class PostgresPreparedStatementsTests
{
    const string Lookup = "SELECT @n::int + 1";
    const string Other = "SELECT @n::int + 2";

    static Task<long> PreparedCountAsync(DbConnection c, string sql) =>
        c.Command("SELECT count(*) FROM pg_prepared_statements WHERE statement = @s").With("@s", sql.Replace("@n", "$1", StringComparison.Ordinal))
            .ScalarLongAsync();

    [Fact]
    public async Task A_prepared_command_is_prepared_once_and_stays_prepared_across_the_pool_and_no_other_is()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Postgres);
        var database = new RosterDatabase(fixture.Options);

        var (first, others, backend) = await database.ReadAsync(async c =>
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(i + 1, await c.PreparedCommand(Lookup).With("@n", i).ScalarLongAsync());
                Assert.Equal(i + 2, await c.Command(Other).With("@n", i).ScalarLongAsync());
            }
            return (await PreparedCountAsync(c, Lookup), await PreparedCountAsync(c, Other), ((NpgsqlConnection)c).ProcessID);
        });
        // The same pooled session again: what it prepared is still there (no DISCARD ALL on return).
        var (again, sameBackend, result) = await database.ReadAsync(async c =>
            (await PreparedCountAsync(c, Lookup), ((NpgsqlConnection)c).ProcessID, await c.PreparedCommand(Lookup).With("@n", 41).ScalarLongAsync()));

        Assert.Equal((1L, 0L), (first, others));
        Assert.Equal(backend, sameBackend);
        Assert.Equal(1, again);
        Assert.Equal(42, result);
    }

    [Theory]
    [InlineData("No Reset On Close=false", false)]
    [InlineData("NoResetOnClose=False", false)]
    [InlineData("", true)]
    public void A_returned_connection_keeps_its_statements_unless_the_connection_string_says_otherwise(string given, bool noResetOnClose)
    {
        var options = DatabaseOptions.Postgres("Host=db.example;Username=roster;Database=roster;" + given);
        var built = new NpgsqlConnectionStringBuilder(options.ConnectionString);

        Assert.Equal((0, noResetOnClose), (built.MaxAutoPrepare, built.NoResetOnClose));
    }
}
