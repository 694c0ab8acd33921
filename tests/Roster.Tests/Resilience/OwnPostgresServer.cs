using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Roster.Testing;

namespace Roster.Tests.Resilience;

/// <summary>
/// A PostgreSQL server of one test's own, which the test may stop and start under Roster's feet
/// (the process-wide <see cref="PostgresCluster"/> serves every other test and must stay up). Same
/// binaries and settings as that cluster; the availability policy (skip, or fail on CI) is its.
/// </summary>
public sealed class OwnPostgresServer : IAsyncDisposable
{
    readonly string bin;
    readonly bool asPostgres;

    OwnPostgresServer(string bin, string root, int port, bool asPostgres)
    {
        this.bin = bin;
        this.asPostgres = asPostgres;
        Root = root;
        Port = port;
    }

    public string Root { get; }
    public int Port { get; }
    string Data => Path.Combine(Root, "data");
    string Log => Path.Combine(Root, "log");

    /// <summary>Roster's connection string: the server's own <c>postgres</c> database.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = PostgresCluster.UserName, Database = "postgres",
    }.ConnectionString;

    public static async Task<OwnPostgresServer> StartAsync()
    {
        var shared = await PostgresCluster.RequireAsync(); // skips, or fails on CI, where PostgreSQL is missing
        var asPostgres = Environment.UserName == "root";
        var root = System.IO.Directory.CreateTempSubdirectory("roster-own-pg-").FullName;
        if (asPostgres) Check(await RunAsync("chown", ["-R", PostgresCluster.UserName + ":", root]), "chown");
        var server = new OwnPostgresServer(shared.BinDirectory, root, FreePort.Next(), asPostgres);
        Check(await server.ToolAsync("initdb", "-D", server.Data, "-A", "trust", "-U", PostgresCluster.UserName, "-E", "UTF8", "--locale=C", "--no-sync"), "initdb");
        await server.StartServerAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port, and waits until it accepts connections.</summary>
    public async Task StartServerAsync()
    {
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {Port} -k {Root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        Check(await ToolAsync("pg_ctl", "-D", Data, "-l", Log, "-w", "-t", "60", "-o", options, "start"), "pg_ctl start");
    }

    /// <summary>Stops the server as an operator's restart does (fast: sessions are ended, transactions rolled back).</summary>
    public async Task StopServerAsync() => Check(await ToolAsync("pg_ctl", "-D", Data, "-w", "-t", "60", "stop", "-m", "fast"), "pg_ctl stop");

    async Task<(int ExitCode, string Output)> ToolAsync(string tool, params string[] args) =>
        asPostgres
            ? await RunAsync("runuser", ["-u", PostgresCluster.UserName, "--", Path.Combine(bin, tool), .. args])
            : await RunAsync(Path.Combine(bin, tool), args);

    static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = "/tmp" };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(patience.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    static void Check((int ExitCode, string Output) result, string what)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException($"{what} failed ({result.ExitCode}): {result.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(Data, "postmaster.pid"))) await ToolAsync("pg_ctl", "-D", Data, "stop", "-m", "immediate");
        try
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
