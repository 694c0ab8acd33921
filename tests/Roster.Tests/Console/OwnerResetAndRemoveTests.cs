using System.Net;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>A forgotten break-glass password and an owner who leaves: `owner reset` issues a new link
/// (the old password works until it is used; using it ends the sessions the old password opened), and
/// `owner remove` ends the account's sessions at once but never removes the last owner.</summary>
public sealed class OwnerResetAndRemoveTests
{
    const string NewPassword = "a different, longer passphrase";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Owner_reset_issues_a_link_that_replaces_the_password_and_ends_the_old_sessions(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        using var oldSession = await ConsoleBrowser.SignedInOwnerAsync(host, acme, "olga@acme.example");
        var unusedFirst = await Reset(host, "Olga@Acme.example"); // any case: the address is the sign-in name

        var reset = await Reset(host, "olga@acme.example");
        Assert.Equal("olga@acme.example", reset["email"]!.GetValue<string>());
        Assert.True(reset["passwordSet"]!.GetValue<bool>());
        var path = new Uri(reset["setupUrl"]!.GetValue<string>()).PathAndQuery;

        // Until the link is used, the old password and its session still work.
        using (var stillIn = await oldSession.GetAsync("/console/acme")) Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        using (var oldPassword = new SamlBrowser(host.BaseAddress))
        using (var signedIn = await oldPassword.SignInWithPasswordAsync("acme", "olga@acme.example", ConsoleBrowser.Password))
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);

        // The earlier reset link stopped working when the newer one was issued.
        using (var stale = new SamlBrowser(host.BaseAddress))
        using (var gone = await stale.GetAsync(new Uri(unusedFirst["setupUrl"]!.GetValue<string>()).PathAndQuery))
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);

        using var resetter = new SamlBrowser(host.BaseAddress);
        using (var set = await resetter.SubmitAsync(path, [new("Password", NewPassword), new("ConfirmPassword", NewPassword)]))
            Assert.Equal(HttpStatusCode.SeeOther, set.StatusCode);

        using (var ended = await oldSession.GetAsync("/console/acme"))
        {
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
            Assert.StartsWith("/console/sign-in", ended.Headers.Location!.OriginalString);
        }
        using (var resetterIn = await resetter.GetAsync("/console/acme")) Assert.Equal(HttpStatusCode.OK, resetterIn.StatusCode);
        using (var oldPassword = new SamlBrowser(host.BaseAddress))
        using (var refused = await oldPassword.SignInWithPasswordAsync("acme", "olga@acme.example", ConsoleBrowser.Password))
            Assert.NotEqual(HttpStatusCode.SeeOther, refused.StatusCode);
        using (var newPassword = new SamlBrowser(host.BaseAddress))
        using (var signedIn = await newPassword.SignInWithPasswordAsync("acme", "olga@acme.example", NewPassword))
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);

        Assert.Equal(2, (await host.Directory.Audit.ListAsync(acme, 10)).Count(e => e.Action == Roster.Directory.Audit.AdminAction.OwnerPasswordLinkIssued));

        var unknown = await CliRunner.RunAsync(host.StoreArguments, "owner", "reset", "--enterprise", "acme", "nobody@acme.example");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Enterprise 'acme' has no owner account 'nobody@acme.example'.", unknown.Error);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Owner_remove_ends_the_account_at_once_but_never_removes_the_last_owner(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        var globex = await host.Directory.Enterprises.CreateAsync("Globex");
        using var olga = await ConsoleBrowser.SignedInOwnerAsync(host, acme, "olga@acme.example");
        using var piet = await ConsoleBrowser.SignedInOwnerAsync(host, acme, "piet@acme.example");
        await ConsoleBrowser.OwnerWithPasswordAsync(host, globex, "olga@acme.example");

        var removed = await CliRunner.RunAsync(host.StoreArguments, "owner", "remove", "--enterprise", "acme", "piet@acme.example");
        Assert.True(removed.ExitCode == 0, removed.Error);
        Assert.Equal("piet@acme.example", removed.Json["email"]!.GetValue<string>());

        using (var ended = await piet.GetAsync("/console/acme")) Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        using (var stillIn = await olga.GetAsync("/console/acme")) Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        var owners = (await CliRunner.RunAsync(host.StoreArguments, "owner", "list", "--enterprise", "acme")).Json.AsArray();
        Assert.Equal("olga@acme.example", Assert.Single(owners)!["email"]!.GetValue<string>());

        var last = await CliRunner.RunAsync(host.StoreArguments, "owner", "remove", "--enterprise", "acme", "olga@acme.example");
        Assert.Equal(1, last.ExitCode);
        Assert.Contains("olga@acme.example is the last owner account of 'acme'", last.Error);
        using (var stillIn = await olga.GetAsync("/console/acme")) Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        // Globex's owner of the same address is another account, untouched.
        Assert.Single((await CliRunner.RunAsync(host.StoreArguments, "owner", "list", "--enterprise", "globex")).Json.AsArray());

        // Who removed whom is in the audit log; the refused removal is not.
        var audit = await host.Directory.Audit.ListAsync(acme, 10);
        var entry = Assert.Single(audit, e => e.Action == Roster.Directory.Audit.AdminAction.OwnerRemoved);
        Assert.Equal("Owner account piet@acme.example removed; its sessions ended", entry.Summary);
        Assert.StartsWith("command line (", entry.Actor);
    }

    static async Task<System.Text.Json.Nodes.JsonObject> Reset(RosterTestHost host, string owner)
    {
        var reset = await CliRunner.RunAsync(host.StoreArguments, "owner", "reset", "--enterprise", "acme", owner, "--public-url", host.BaseAddress.ToString());
        Assert.True(reset.ExitCode == 0, reset.Error);
        return reset.Json.AsObject();
    }
}
