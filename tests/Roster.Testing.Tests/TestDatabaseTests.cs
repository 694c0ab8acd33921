using Npgsql;

namespace Roster.Testing.Tests;

public class TestDatabaseTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Creates_an_empty_database_of_each_kind(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind, Ct);

        Assert.Equal(kind, db.Kind);
        if (kind == TestDatabase.Sqlite)
        {
            Assert.Null(db.ConnectionString);
            Assert.NotNull(db.DataDirectory);
            Assert.Empty(Directory.EnumerateFileSystemEntries(db.DataDirectory));
        }
        else
        {
            Assert.Null(db.DataDirectory);
            await using var connection = new NpgsqlConnection(db.ConnectionString);
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand(
                "select count(*) from information_schema.tables where table_schema = 'public'", connection);
            Assert.Equal(0L, await command.ExecuteScalarAsync(Ct));
        }
    }

    [Fact]
    public void Kinds_are_sqlite_and_postgres()
    {
        var kinds = TestDatabase.Kinds().Select(row => row.Data).ToArray();

        Assert.Equal(["sqlite", "postgres"], kinds);
    }

    [Fact]
    public async Task Sqlite_directory_is_removed_on_dispose()
    {
        var db = await TestDatabase.CreateAsync(TestDatabase.Sqlite, Ct);
        var dir = Assert.IsType<string>(db.DataDirectory);
        Assert.True(Directory.Exists(dir));
        await File.WriteAllTextAsync(Path.Combine(dir, "roster.db"), "not really a database", Ct);
        Directory.CreateDirectory(Path.Combine(dir, "nested"));

        await db.DisposeAsync();

        Assert.False(Directory.Exists(dir));
        await db.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task Sqlite_directories_are_distinct()
    {
        await using var first = await TestDatabase.CreateAsync(TestDatabase.Sqlite, Ct);
        await using var second = await TestDatabase.CreateAsync(TestDatabase.Sqlite, Ct);

        Assert.NotEqual(first.DataDirectory, second.DataDirectory);
    }

    [Fact]
    public async Task Postgres_database_is_dropped_on_dispose()
    {
        var db = await TestDatabase.CreateAsync(TestDatabase.Postgres, Ct);
        var name = new NpgsqlConnectionStringBuilder(db.ConnectionString).Database;
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            await connection.OpenAsync(Ct); // left in the pool: dispose must still drop the database
        }

        await db.DisposeAsync();

        var cluster = await PostgresCluster.GetAsync();
        await using var admin = new NpgsqlConnection(cluster.AdminConnectionString);
        await admin.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("select count(*) from pg_database where datname = @name", admin);
        command.Parameters.AddWithValue("name", name!);
        Assert.Equal(0L, await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Unknown_kind_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TestDatabase.CreateAsync("oracle", Ct));
    }
}
