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

    [Fact]
    public async Task A_listing_by_userName_eq_is_prepared_and_one_by_another_filter_is_not()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Postgres);
        // One pooled session, so that what the listings prepared is what the last read sees.
        var directory = await RosterDirectory.OpenAsync(DatabaseOptions.Postgres(fixture.Options.ConnectionString + ";Maximum Pool Size=1"));
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var translator = new Members.MemberFilterTranslator(directory.Database.Dialect);
        SqlCondition Condition(string filter) => translator.Translate(Scim.Filtering.ScimFilterParser.Parse(filter, Scim.Schema.ScimSchemas.UserResourceType));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await directory.Members.ListAsync(acme, Condition($"userName eq \"u{i}@acme.example\""), 1, 100)).Total);
            Assert.Equal(0, (await directory.Members.ListAsync(acme, Condition($"userName co \"u{i}\""), 1, 100)).Total);
        }
        var statements = await directory.Database.ReadAsync(c => c.Command("SELECT statement FROM pg_prepared_statements").ListAsync(r => r.GetString(0)));

        Assert.Contains(statements, s => s.Contains("user_name_key = $", StringComparison.Ordinal));
        Assert.DoesNotContain(statements, s => s.Contains("LIKE", StringComparison.OrdinalIgnoreCase) || s.Contains("strpos", StringComparison.OrdinalIgnoreCase));
    }
}
