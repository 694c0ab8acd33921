using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;
using Roster.Directory.Identity;

namespace Roster.Cli;

/// <summary>The <c>roster domain</c> verbs: the email domains an enterprise owns, and whether its IdP
/// may provision addresses outside them. Each prints the enterprise's domains and rule as JSON.</summary>
internal static class DomainCommands
{
    public static IEnumerable<VerbSpec> Verbs =>
    [
        new("domain list", "Show an enterprise's email domains and its rule for addresses outside them, as JSON.", [RosterCli.EnterpriseOption], [], ListAsync),
        new("domain add", "Add an email domain the enterprise owns (its subdomains count as its own); prints the domains as JSON.",
            [RosterCli.EnterpriseOption], ["domain"], AddAsync),
        new("domain remove", "Remove one of the enterprise's email domains; prints the domains as JSON.", [RosterCli.EnterpriseOption], ["domain"], RemoveAsync),
        new("domain rule", "Choose what happens when the IdP provisions an address outside the domains: refuse (the default) or flag; prints the domains as JSON.",
            [RosterCli.EnterpriseOption, new OptionSpec("outside", "refuse or flag.", "RULE", Required: true)], [], RuleAsync),
    ];

    static Task<int> ListAsync(Invocation invocation) => RunAsync(invocation, (directory, enterprise) => directory.Domains.GetAsync(enterprise));

    static Task<int> AddAsync(Invocation invocation) =>
        RunAsync(invocation, (directory, enterprise) => directory.Domains.AddAsync(enterprise, invocation.Arguments[0], RosterCli.Actor));

    static Task<int> RemoveAsync(Invocation invocation) =>
        RunAsync(invocation, (directory, enterprise) => directory.Domains.RemoveAsync(enterprise, invocation.Arguments[0], RosterCli.Actor));

    static Task<int> RuleAsync(Invocation invocation) =>
        RunAsync(invocation, (directory, enterprise) => directory.Domains.SetOutsideDomainsAsync(enterprise, invocation.Require("outside"), RosterCli.Actor));

    static async Task<int> RunAsync(Invocation invocation, Func<Directory.RosterDirectory, Enterprise, Task<DomainRule>> act)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        CliJson.Print(invocation.Out, Json(enterprise, await act(directory, enterprise)));
        return 0;
    }

    internal static JsonObject Json(Enterprise enterprise, DomainRule rule) => new()
    {
        ["enterprise"] = enterprise.Slug,
        ["domains"] = new JsonArray(rule.Domains.Select(d => (JsonNode?)new JsonObject { ["domain"] = d.Domain, ["addedAt"] = CliJson.Time(d.AddedAt) }).ToArray()),
        ["outsideDomains"] = rule.OutsideDomains,
    };
}
