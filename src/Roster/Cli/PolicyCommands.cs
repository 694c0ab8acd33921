using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;

namespace Roster.Cli;

/// <summary>The <c>roster policy</c> verbs: what an enterprise does when its IdP deactivates or deletes
/// a member (its deprovisioning policy), printed as one JSON object.</summary>
internal static class PolicyCommands
{
    public static IEnumerable<VerbSpec> Verbs =>
    [
        new("policy show", "Show the enterprise's deprovisioning policy as JSON.", [RosterCli.EnterpriseOption], [], ShowAsync),
        new("policy set", "Change the enterprise's deprovisioning policy (options left out keep their value); prints it as JSON.",
            [RosterCli.EnterpriseOption,
             new OptionSpec("on-deactivate", "When the IdP deactivates a member (active false): suspend (default; restorable by active true) or remove (gone for SCIM).", "suspend|remove"),
             new OptionSpec("on-delete", "When the IdP deletes a member: remove (default) or suspend (hidden from SCIM, kept deactivated, restorable by a new POST).", "remove|suspend"),
             new OptionSpec("grace-days", $"Days a removed member stays restorable by a new POST of the same userName: 0 (default, removal is final) to {DeprovisioningPolicy.MaxGraceDays}.", "N")],
            [], SetAsync),
    ];

    static async Task<int> ShowAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        CliJson.Print(invocation.Out, Policy(await directory.DeprovisioningPolicies.GetAsync(enterprise)));
        return 0;
    }

    static async Task<int> SetAsync(Invocation invocation)
    {
        var onDeactivate = invocation.Get("on-deactivate");
        var onDelete = invocation.Get("on-delete");
        var graceText = invocation.Get("grace-days");
        if (onDeactivate is null && onDelete is null && graceText is null)
            throw new UsageException("'roster policy set' needs at least one of --on-deactivate, --on-delete, --grace-days.");
        int? graceDays = null;
        if (graceText is not null)
        {
            graceDays = int.TryParse(graceText, NumberStyles.None, CultureInfo.InvariantCulture, out var days)
                ? days
                : throw new UsageException($"--grace-days takes a whole number of days from 0 to {DeprovisioningPolicy.MaxGraceDays}, not '{graceText}'.");
        }
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var policy = await directory.DeprovisioningPolicies.SetAsync(enterprise, onDeactivate, onDelete, graceDays, RosterCli.Actor);
        CliJson.Print(invocation.Out, Policy(policy));
        return 0;
    }

    /// <summary>The policy as the CLI prints it; <c>updatedAt</c> is null while the enterprise has the defaults.</summary>
    static JsonObject Policy(DeprovisioningPolicy policy) => new()
    {
        ["onDeactivate"] = policy.OnDeactivate,
        ["onDelete"] = policy.OnDelete,
        ["graceDays"] = policy.GraceDays,
        ["updatedAt"] = CliJson.Time(policy.UpdatedAt),
    };
}
