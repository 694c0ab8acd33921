using System.Data.Common;
using Npgsql;
using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>On PostgreSQL a statement a connection runs again is prepared once and stays prepared
/// when the connection goes back to the pool; a connection string that says otherwise is obeyed.</summary>
public sealed class PostgresPreparedStatementsTests
{
    const string Probe = "SELECT @n::int + 1";

    static Task<long> PreparedCountAsync(DbConnection c) =>
        c.Command("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT $1::int + 1'").ScalarLongAsync();

    [Fact]
    public async Task A_statement_run_twice_is_prepared_and_stays_prepared_across_the_pool()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Postgres);
        var database = new RosterDatabase(fixture.Options);

        var (first, backend) = await database.ReadAsync(async c =>
        {
            for (var i = 0; i < 3; i++) Assert.Equal(i + 1, await c.Command(Probe).With("@n", i).ScalarLongAsync());
            return (await PreparedCountAsync(c), ((NpgsqlConnection)c).ProcessID);
        });
        // The same pooled session again: what it prepared is still there (no DISCARD ALL on return).
        var (again, sameBackend) = await database.ReadAsync(async c => (await PreparedCountAsync(c), ((NpgsqlConnection)c).ProcessID));

        Assert.Equal(1, first);
        Assert.Equal(backend, sameBackend);
        Assert.Equal(1, again);
    }

    [Theory]
    [InlineData("Max Auto Prepare=0", 0, false)]
    [InlineData("MaxAutoPrepare=5", 5, false)]
    [InlineData("No Reset On Close=false", 0, false)]
    [InlineData("", DatabaseOptions.AutoPreparedStatements, true)]
    public void The_connection_string_has_the_last_word(string given, int maxAutoPrepare, bool noResetOnClose)
    {
        var options = DatabaseOptions.Postgres("Host=db.example;Username=roster;Database=roster;" + given);
        var built = new NpgsqlConnectionStringBuilder(options.ConnectionString);

        Assert.Equal((maxAutoPrepare, noResetOnClose), (built.MaxAutoPrepare, built.NoResetOnClose));
    }
}
