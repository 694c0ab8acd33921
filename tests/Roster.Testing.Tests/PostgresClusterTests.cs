using Npgsql;

namespace Roster.Testing.Tests;

public class PostgresClusterTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }

    [Fact]
    public async Task Select_version_reports_PostgreSQL()
    {
        var connectionString = await PostgresCluster.RequireDatabaseAsync(Ct);

        var version = Assert.IsType<string>(await ScalarAsync(connectionString, "select version()"));

        Assert.StartsWith("PostgreSQL ", version, StringComparison.Ordinal);
        var cluster = await PostgresCluster.GetAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{version}; started in {cluster.StartupTime.TotalSeconds:0.00}s on port {cluster.Port} from {cluster.BinDirectory}");
    }

    [Fact]
    public async Task Two_databases_are_separate()
    {
        var first = await PostgresCluster.RequireDatabaseAsync(Ct);
        var second = await PostgresCluster.RequireDatabaseAsync(Ct);
        Assert.NotEqual(first, second);

        await ScalarAsync(first, "create table widget (id int primary key); insert into widget values (1)");

        Assert.Equal(1L, await ScalarAsync(first, "select count(*) from widget"));
        Assert.Equal(true, await ScalarAsync(first, "select to_regclass('public.widget') is not null"));
        Assert.Equal(true, await ScalarAsync(second, "select to_regclass('public.widget') is null"));
        Assert.NotEqual(await ScalarAsync(first, "select current_database()"), await ScalarAsync(second, "select current_database()"));
    }

    [Fact]
    public async Task Connection_string_points_at_the_cluster_on_loopback()
    {
        var builder = new NpgsqlConnectionStringBuilder(await PostgresCluster.RequireDatabaseAsync(Ct));
        var cluster = await PostgresCluster.GetAsync();

        Assert.Equal("127.0.0.1", builder.Host);
        Assert.Equal(cluster.Port, builder.Port);
        Assert.Equal("postgres", builder.Username);
        Assert.StartsWith("roster_test_", builder.Database, StringComparison.Ordinal);
        Assert.Equal(builder.Database, await ScalarAsync(builder.ConnectionString, "select current_database()"));
        Assert.Equal("off", await ScalarAsync(builder.ConnectionString, "show fsync"));
    }

    [Fact]
    public async Task The_cluster_is_one_per_process()
    {
        var cluster = await PostgresCluster.RequireAsync();
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(PostgresCluster.GetAsync, Ct)).ToArray();

        foreach (var other in await Task.WhenAll(tasks))
        {
            Assert.Same(cluster, other);
        }

        Assert.StartsWith("/tmp/roster-pg-", cluster.RootDirectory, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(cluster.DataDirectory, "postmaster.pid")));
    }

    [Fact]
    public async Task Runs_the_binaries_that_FindBinDirectory_finds()
    {
        var cluster = await PostgresCluster.RequireAsync();

        Assert.Equal(cluster.BinDirectory, PostgresCluster.FindBinDirectory());
        Assert.True(File.Exists(Path.Combine(cluster.BinDirectory, "initdb")));
        Assert.True(File.Exists(Path.Combine(cluster.BinDirectory, "pg_ctl")));
        Assert.StartsWith(cluster.ServerVersion.Split('.')[0] + ".", cluster.ServerVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Databases_can_be_created_concurrently()
    {
        var cluster = await PostgresCluster.RequireAsync();

        var connectionStrings = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(_ => Task.Run(() => cluster.CreateDatabaseAsync(Ct), Ct)));

        Assert.Equal(connectionStrings.Length, connectionStrings.Distinct().Count());
        foreach (var connectionString in connectionStrings)
        {
            Assert.Equal(1, await ScalarAsync(connectionString, "select 1"));
        }
    }
}
