using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Directory.Operations;
using Roster.Operations;

namespace Roster.Cli;

/// <summary>The <c>roster ratelimit</c> verbs: an enterprise's own SCIM rate limits, overriding the
/// server's defaults (<c>roster serve --rate-limit-token / --rate-limit-enterprise</c>), printed as
/// one JSON object.</summary>
internal static class RateLimitCommands
{
    const string Default = "default";

    public static IEnumerable<VerbSpec> Verbs =>
    [
        new("ratelimit show", "Show the enterprise's SCIM rate limits (its own, or the server's defaults) as JSON.", [RosterCli.EnterpriseOption], [], ShowAsync),
        new("ratelimit set", "Set the enterprise's own SCIM rate limits (options left out keep their value); prints them as JSON. " +
                             "Running servers apply a change within 30 seconds.",
            [RosterCli.EnterpriseOption,
             new OptionSpec("per-token", $"Requests per second each of its SCIM tokens may make, 1 to {EnterpriseRateLimit.MaxPerSecond}, or 'default' for the server's.", "N|default"),
             new OptionSpec("per-enterprise", $"Requests per second all its SCIM tokens together may make, 1 to {EnterpriseRateLimit.MaxPerSecond}, or 'default' for the server's.", "N|default")],
            [], SetAsync),
    ];

    static async Task<int> ShowAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var limits = new EnterpriseRateLimits(directory.Database, directory.Clock);
        CliJson.Print(invocation.Out, Json(await limits.GetAsync(enterprise)));
        return 0;
    }

    static async Task<int> SetAsync(Invocation invocation)
    {
        var perToken = Change(invocation, "per-token");
        var perEnterprise = Change(invocation, "per-enterprise");
        if (perToken is null && perEnterprise is null)
            throw new UsageException("'roster ratelimit set' needs --per-token or --per-enterprise (or both).");
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var limits = new EnterpriseRateLimits(directory.Database, directory.Clock);
        CliJson.Print(invocation.Out, Json(await limits.SetAsync(enterprise, perToken, perEnterprise, RosterCli.Actor)));
        return 0;
    }

    static EnterpriseRateLimits.Change? Change(Invocation invocation, string option)
    {
        if (invocation.Get(option) is not { } text) return null;
        if (string.Equals(text.Trim(), Default, StringComparison.OrdinalIgnoreCase)) return EnterpriseRateLimits.Change.ToDefault;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= EnterpriseRateLimit.MaxPerSecond
            ? new EnterpriseRateLimits.Change(n)
            : throw new UsageException(
                $"--{option} takes a whole number of requests per second from 1 to {EnterpriseRateLimit.MaxPerSecond}, or 'default', not '{text}'.");
    }

    /// <summary>The limits as the CLI prints them: null where the enterprise has the server's default
    /// (which the server, not the database, knows: see <c>roster serve --help</c>).</summary>
    static JsonObject Json(EnterpriseRateLimit limit) => new()
    {
        ["perToken"] = limit.PerToken,
        ["perEnterprise"] = limit.PerEnterprise,
        ["unit"] = "requests per second",
        ["serverDefaults"] = new JsonObject
        {
            ["perToken"] = OperationsOptions.DefaultPerToken,
            ["perEnterprise"] = OperationsOptions.DefaultPerEnterprise,
        },
        ["updatedAt"] = CliJson.Time(limit.UpdatedAt),
    };
}
