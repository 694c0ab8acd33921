using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Directory.Api;
using Roster.Directory.Enterprises;

namespace Roster.Cli;

/// <summary>The <c>roster apikey</c> verbs: keys of the /api/v1 admin API, one enterprise each. The key
/// is printed once, by <c>create</c>; nothing prints it again (Roster keeps only its hash).</summary>
internal static class ApiKeyCommands
{
    public static IEnumerable<VerbSpec> Verbs =>
    [
        new("apikey create", "Create an admin API key (Authorization: Bearer KEY on /api/v1); prints it once, as JSON with id and key.",
            [RosterCli.EnterpriseOption, new OptionSpec("name", "What the key is for (e.g. \"provisioning script\").", "NAME"),
             new OptionSpec("expires", "Make the key expire at the start of this day (UTC).", "YYYY-MM-DD")], [], CreateAsync),
        new("apikey list", "List an enterprise's admin API keys (never the keys) as a JSON array.", [RosterCli.EnterpriseOption], [], ListAsync),
        new("apikey revoke", "Revoke an admin API key; it is refused from the next request on. Prints it as JSON.",
            [RosterCli.EnterpriseOption], ["id"], RevokeAsync),
    ];

    static async Task<int> CreateAsync(Invocation invocation)
    {
        DateTimeOffset? expires = null;
        if (invocation.Get("expires") is { } text)
        {
            expires = DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal,
                out var day)
                ? new DateTimeOffset(day, TimeSpan.Zero)
                : throw new UsageException($"--expires takes a date like 2027-01-31 (the key stops working at its start, UTC), not '{text}'.");
        }
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var issued = await directory.ApiKeys.CreateAsync(enterprise, invocation.Get("name"), expires, RosterCli.Actor);
        var json = Key(issued.ApiKey, enterprise, directory.Clock.GetUtcNow());
        json["key"] = issued.Key;
        CliJson.Print(invocation.Out, json);
        return 0;
    }

    static async Task<int> ListAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var now = directory.Clock.GetUtcNow();
        var keys = await directory.ApiKeys.ListAsync(enterprise);
        CliJson.Print(invocation.Out, new JsonArray(keys.Select(k => (JsonNode?)Key(k, enterprise, now)).ToArray()));
        return 0;
    }

    static async Task<int> RevokeAsync(Invocation invocation)
    {
        if (invocation.Arguments.Count != 1) throw new UsageException("'roster apikey revoke' takes the id of one key (see 'roster apikey list').");
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var revoked = await directory.ApiKeys.RevokeAsync(enterprise, invocation.Arguments[0], RosterCli.Actor);
        CliJson.Print(invocation.Out, Key(revoked, enterprise, directory.Clock.GetUtcNow()));
        return 0;
    }

    /// <summary>A key as the CLI prints it: a contract, fields only ever added.</summary>
    static JsonObject Key(AdminApiKey key, Enterprise enterprise, DateTimeOffset now) => new()
    {
        ["id"] = key.Id,
        ["enterprise"] = enterprise.Slug,
        ["name"] = key.Name,
        ["hint"] = "…" + key.Hint,
        ["status"] = key.Status(now),
        ["createdAt"] = CliJson.Time(key.CreatedAt),
        ["expiresAt"] = CliJson.Time(key.ExpiresAt),
        ["lastUsedAt"] = CliJson.Time(key.LastUsedAt),
        ["revokedAt"] = CliJson.Time(key.RevokedAt),
    };
}
