using System.Diagnostics;
using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests;

/// <summary>The command line as a process, as operators run it: the store named by the environment.</summary>
public sealed class CliEnvironmentTests
{
    static async Task<(int ExitCode, string Out, string Error)> RunAsync(IDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Roster.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task ROSTER_DATABASE_names_the_PostgreSQL_store_and_data_overrides_it()
    {
        await using var postgres = await TestDatabase.CreateAsync(TestDatabase.Postgres);
        var environment = new Dictionary<string, string?> { ["ROSTER_DATABASE"] = postgres.ConnectionString };

        var created = await RunAsync(environment, "enterprise", "create", "--name", "Env Corp");
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Equal("env-corp", JsonNode.Parse(created.Out)!["slug"]!.GetValue<string>());
        var listed = JsonNode.Parse((await RunAsync(environment, "enterprise", "list")).Out)!.AsArray();
        Assert.Equal("env-corp", Assert.Single(listed)!["slug"]!.GetValue<string>());

        // --data picks SQLite even when the variable is set.
        var folder = System.IO.Directory.CreateTempSubdirectory("roster-env-").FullName;
        try
        {
            var sqlite = await RunAsync(environment, "enterprise", "list", "--data", folder);
            Assert.True(sqlite.ExitCode == 0, sqlite.Error);
            Assert.Empty(JsonNode.Parse(sqlite.Out)!.AsArray());
            Assert.True(File.Exists(Path.Combine(folder, "roster.db")));
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }

        // An unreachable server is one clear line, and a non-zero exit.
        var unreachable = await RunAsync(new Dictionary<string, string?> { ["ROSTER_DATABASE"] = "Host=127.0.0.1;Port=1;Timeout=2" }, "enterprise", "list");
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Equal("", unreachable.Out);
        Assert.Single(unreachable.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("roster: Cannot open the database", unreachable.Error);
    }
}
