using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;
using Roster.Directory.Identity;

namespace Roster.Cli;

/// <summary>The <c>roster linking</c> and <c>roster conflict</c> verbs: how the IdP's members are tied
/// to accounts that existed before SCIM, and the creates refused for that reason.</summary>
internal static class LinkingCommands
{
    public static IEnumerable<VerbSpec> Verbs =>
    [
        new("linking show", "Show how members are linked (key, adoption of existing members) as JSON.", [RosterCli.EnterpriseOption], [], ShowAsync),
        new("linking set", "Set the link key (userName, email or externalId) and whether existing members are adopted (on or off); prints it as JSON.",
            [RosterCli.EnterpriseOption, new OptionSpec("key", "userName, email or externalId.", "KEY"), new OptionSpec("adopt", "on or off.", "ON_OFF")], [], SetAsync),
        new("conflict list", "List the creates refused because the person exists unlinked, newest first, as a JSON array.",
            [RosterCli.EnterpriseOption, new OptionSpec("all", "Also the resolved ones.")], [], ListAsync),
        new("conflict adopt", "Adopt the member of an open conflict: linked to SCIM from now on; prints the conflict as JSON.",
            [RosterCli.EnterpriseOption], ["member-id"], AdoptAsync),
        new("conflict keep-apart", "Keep the member of an open conflict apart: the IdP's creates of them stay refused; prints the conflict as JSON.",
            [RosterCli.EnterpriseOption], ["member-id"], KeepApartAsync),
    ];

    static async Task<int> ShowAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        CliJson.Print(invocation.Out, Rule(await directory.Linking.GetAsync(enterprise)));
        return 0;
    }

    static async Task<int> SetAsync(Invocation invocation)
    {
        bool? adopt = invocation.Get("adopt") switch
        {
            null => null,
            "on" => true,
            "off" => false,
            var other => throw new UsageException($"--adopt takes on or off, not '{other}'."),
        };
        if (invocation.Get("key") is null && adopt is null) throw new UsageException("Give --key, --adopt or both.");
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        CliJson.Print(invocation.Out, Rule(await directory.Linking.SetAsync(enterprise, invocation.Get("key"), adopt, RosterCli.Actor)));
        return 0;
    }

    static async Task<int> ListAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var conflicts = await directory.Linking.ListConflictsAsync(enterprise, openOnly: !invocation.Has("all"));
        CliJson.Print(invocation.Out, new JsonArray(conflicts.Select(c => (JsonNode?)Conflict(c)).ToArray()));
        return 0;
    }

    static async Task<int> AdoptAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        CliJson.Print(invocation.Out, Conflict(await directory.Linking.AdoptAsync(enterprise, invocation.Arguments[0], RosterCli.Actor)));
        return 0;
    }

    static async Task<int> KeepApartAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        CliJson.Print(invocation.Out, Conflict(await directory.Linking.KeepApartAsync(enterprise, invocation.Arguments[0], RosterCli.Actor)));
        return 0;
    }

    static JsonObject Rule(LinkingRule rule) => new()
    {
        ["linkKey"] = rule.LinkKey,
        ["adoptExisting"] = rule.AdoptExisting,
        ["updatedAt"] = CliJson.Time(rule.UpdatedAt),
    };

    static JsonObject Conflict(LinkingConflict conflict) => new()
    {
        ["id"] = conflict.Id,
        ["memberId"] = conflict.MemberId,
        ["memberUserName"] = conflict.MemberUserName,
        ["memberSource"] = conflict.MemberSource,
        ["requestedUserName"] = conflict.RequestedUserName,
        ["reason"] = conflict.Reason,
        ["firstAt"] = CliJson.Time(conflict.FirstAt),
        ["lastAt"] = CliJson.Time(conflict.LastAt),
        ["attempts"] = conflict.Attempts,
        ["resolution"] = conflict.Resolution,
        ["resolvedAt"] = CliJson.Time(conflict.ResolvedAt),
        ["resolvedBy"] = conflict.ResolvedBy,
    };
}
