using System.Text.Json.Nodes;
using Roster.Cli;

namespace Roster.Tests;

/// <summary>What one run of the command line printed, and how it ended.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonNode Json => JsonNode.Parse(Out) ?? throw new InvalidOperationException("no output");

    /// <summary>Asserts the failure shape operators script against: a non-zero exit, nothing on
    /// stdout, and one line on stderr that starts with "roster: ".</summary>
    public string AssertFailed(int exitCode = 1)
    {
        Assert.True(ExitCode == exitCode, $"Expected exit {exitCode}, got {ExitCode}: {Error}{Out}");
        Assert.Equal("", Out);
        Assert.Single(Error.TrimEnd().Split('\n'));
        Assert.StartsWith("roster: ", Error);
        return Error;
    }
}

/// <summary>The <c>roster</c> command line, run in-process as an operator would run it.</summary>
public static class CliRunner
{
    public static async Task<CliResult> RunAsync(IEnumerable<string> store, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await RosterCli.RunAsync([.. args, .. store], output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
