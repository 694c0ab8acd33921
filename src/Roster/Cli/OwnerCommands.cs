using System.Text.Json.Nodes;
using Roster.AdminConsole;
using Roster.Directory.AdminConsole;

namespace Roster.Cli;

/// <summary>The <c>roster owner</c> verbs: an enterprise's owner accounts in the admin console, each
/// created with a one-time link that sets its password.</summary>
internal static class OwnerCommands
{
    public static IEnumerable<VerbSpec> Verbs =>
    [
        new("owner create", "Create an owner account of the admin console; prints it as JSON with its one-time set-up link (valid 24 hours).",
            [RosterCli.EnterpriseOption, new OptionSpec("email", "The owner's email address (their sign-in name).", "EMAIL", Required: true),
             new OptionSpec("name", "The owner's name.", "NAME"), SamlCommands.PublicUrl], [], CreateAsync),
        new("owner list", "List an enterprise's owner accounts as a JSON array (never their passwords).", [RosterCli.EnterpriseOption], [], ListAsync),
        new("owner reset", "Issue a new one-time link that sets an owner's password (valid 24 hours; the current password works until it is used); prints it as JSON.",
            [RosterCli.EnterpriseOption, SamlCommands.PublicUrl], ["email-or-id"], ResetAsync),
        new("owner remove", "Remove an owner account (not the last one): its sessions end at once; prints the removed account as JSON.",
            [RosterCli.EnterpriseOption], ["email-or-id"], RemoveAsync),
    ];

    static async Task<int> ResetAsync(Invocation invocation)
    {
        var publicBaseUrl = SamlCommands.PublicBaseUrl(invocation.Get("public-url"), RosterCli.DefaultUrls);
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var (owner, link) = await directory.Owners.IssuePasswordLinkAsync(enterprise, invocation.Arguments[0], RosterCli.Actor);
        var json = Owner(owner, enterprise.Slug);
        json["setupUrl"] = ConsoleUrls.Setup(publicBaseUrl, link.Token);
        json["expiresAt"] = CliJson.Time(link.ExpiresAt);
        CliJson.Print(invocation.Out, json);
        return 0;
    }

    static async Task<int> RemoveAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        CliJson.Print(invocation.Out, Owner(await directory.Owners.RemoveAsync(enterprise, invocation.Arguments[0], RosterCli.Actor), enterprise.Slug));
        return 0;
    }

    static async Task<int> CreateAsync(Invocation invocation)
    {
        var publicBaseUrl = SamlCommands.PublicBaseUrl(invocation.Get("public-url"), RosterCli.DefaultUrls);
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var (owner, link) = await directory.Owners.CreateAsync(enterprise, invocation.Require("email"), invocation.Get("name"), RosterCli.Actor);
        CliJson.Print(invocation.Out, new JsonObject
        {
            ["id"] = owner.Id,
            ["enterprise"] = enterprise.Slug,
            ["email"] = owner.Email,
            ["name"] = owner.DisplayName,
            ["setupUrl"] = ConsoleUrls.Setup(publicBaseUrl, link.Token),
            ["expiresAt"] = CliJson.Time(link.ExpiresAt),
        });
        return 0;
    }

    static async Task<int> ListAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var owners = await directory.Owners.ListAsync(enterprise);
        CliJson.Print(invocation.Out, new JsonArray(owners.Select(o => (JsonNode?)Owner(o, enterprise.Slug)).ToArray()));
        return 0;
    }

    static JsonObject Owner(ConsoleOwner owner, string slug) => new()
    {
        ["id"] = owner.Id,
        ["enterprise"] = slug,
        ["email"] = owner.Email,
        ["name"] = owner.DisplayName,
        ["passwordSet"] = owner.HasPassword,
        ["createdAt"] = CliJson.Time(owner.CreatedAt),
        ["passwordSetAt"] = CliJson.Time(owner.PasswordSetAt),
        ["lastSignInAt"] = CliJson.Time(owner.LastSignInAt),
    };
}
