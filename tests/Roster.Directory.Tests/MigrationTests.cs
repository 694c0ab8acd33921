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
    public void Each_database_gets_its_own_types_in_one_migration_text()
    {
        var sqlite = Migrator.For(SqliteDialect.Instance);
        var postgres = Migrator.For(PostgresDialect.Instance);
        Assert.Equal(postgres.Select(m => (m.Version, m.Name)), sqlite.Select(m => (m.Version, m.Name)));
        Assert.Contains("resource        jsonb NOT NULL", postgres[0].Sql);
        Assert.Contains("resource        text NOT NULL", sqlite[0].Sql);
        Assert.Contains("integer PRIMARY KEY AUTOINCREMENT", sqlite[0].Sql);
        Assert.All(sqlite.Concat(postgres), m => Assert.DoesNotContain("{{", m.Sql));
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

public sealed class IdentifierTests
{
    [Fact]
    public void Ids_are_version_7_uuids_that_sort_in_the_order_they_were_made()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => Identifiers.NewId()).ToList();
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids.Take(50), id =>
        {
            var guid = Guid.Parse(id);
            Assert.Equal(7, guid.Version);
            Assert.Contains(id[19], "89ab"); // the RFC 9562 variant
        });
    }
}
