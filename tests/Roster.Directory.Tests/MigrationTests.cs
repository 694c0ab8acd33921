using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Directory.Tests;

public sealed class MigrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Processes_that_start_together_apply_each_migration_once(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        // Separate directories, as separate processes would have: they share only the database.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => RosterDirectory.OpenAsync(fixture.Options))));
        var directory = await RosterDirectory.OpenAsync(fixture.Options);

        var applied = await directory.Database.ReadAsync(c => c.Command("SELECT version FROM schema_migrations ORDER BY version").ListAsync(r => r.GetInt32(0)));
        Assert.Equal(Migrator.For(fixture.Options.Dialect).Select(m => m.Version), applied);
        Assert.NotEmpty(applied);

        // The schema is usable after the race.
        var enterprise = await directory.Enterprises.CreateAsync("Acme");
        Assert.Equal("acme", (await directory.Enterprises.GetAsync("acme")).Slug);
        Assert.Equal(enterprise.Id, (await directory.Enterprises.GetAsync(enterprise.Id)).Id);
    }

    [Fact]
    public void Both_databases_have_the_same_migrations()
    {
        var sqlite = Migrator.For(SqliteDialect.Instance).Select(m => (m.Version, m.Name));
        var postgres = Migrator.For(PostgresDialect.Instance).Select(m => (m.Version, m.Name));
        Assert.Equal(postgres, sqlite);
    }

    [Theory]
    [InlineData("Acme", "acme")]
    [InlineData("Acme Corp.", "acme-corp")]
    [InlineData("  Société Générale  ", "societe-generale")]
    [InlineData("A -- B", "a-b")]
    [InlineData("東京", "enterprise")]
    public void Slugs_are_made_from_names(string name, string slug) =>
        Assert.Equal(slug, Roster.Directory.Enterprises.EnterpriseDirectory.Slugify(name));
}
