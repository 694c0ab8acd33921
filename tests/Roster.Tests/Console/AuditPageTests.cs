using System.Net;
using System.Text.RegularExpressions;
using Roster.Directory.Audit;
using Roster.Directory.Roles;
using Roster.Testing.Saml;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>/console/{slug}/audit and `roster audit`: the admin actions of the console and of the
/// command line, with who did them, newest first, paged backwards; another enterprise's never show.</summary>
public sealed class AuditPageTests
{
    const string Page = "/console/acme/audit";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Console_and_command_line_actions_appear_with_who_and_what_and_another_enterprise_s_never(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var globex = await SamlTestEnterprise.CreateAsync(host, "Globex");
        var commandLine = $"command line ({Environment.UserName}@{Environment.MachineName})";

        // An admin who signed in through SAML, and an owner account with its password.
        var annId = await acme.ProvisionAsync("ann@acme.example");
        (await acme.Scim!.PostAsync("Groups",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Roster Admins","members":[{"value":"{{annId}}"}]}""")).AssertOk(201);
        var mapped = await CliRunner.RunAsync(host.StoreArguments, "role", "map", "--enterprise", "acme", "--group", "Roster Admins", "--role", "admin");
        Assert.Equal(0, mapped.ExitCode);
        Assert.Equal("admin", mapped.Json["role"]!.GetValue<string>());
        using var ann = await ConsoleAccessTests.SignedInBySamlAsync(acme, "ann@acme.example");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        using (var created = await ann.SubmitAsync("/console/acme/scim", [new("name", "Okta via Ann")], "/console/acme/scim?handler=create"))
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        using (var disabled = await owner.SubmitAsync("/console/acme/scim", [], "/console/acme/scim?handler=disable"))
            Assert.Equal(HttpStatusCode.SeeOther, disabled.StatusCode);
        var cliToken = await CliRunner.RunAsync(host.StoreArguments, "token", "create", "--enterprise", "acme", "--name", "From the CLI");
        Assert.Equal(0, cliToken.ExitCode);
        var revoked = await CliRunner.RunAsync(host.StoreArguments, "token", "revoke", "--enterprise", "acme", cliToken.Json["id"]!.GetValue<string>());
        Assert.Equal("revoked", revoked.Json["status"]!.GetValue<string>());
        await host.Directory.Tokens.CreateAsync(globex.Enterprise, "Globex secret project", null, AuditActor.OwnerAccount("gus@globex.example"));

        var html = await PageAsync(owner);
        var rows = Regex.Matches(html, "<tr id=\"audit-\\d+\">(.*?)</tr>", RegexOptions.Singleline).Select(m => Text(m.Groups[1].Value)).ToList();
        Assert.Equal(6, rows.Count);
        Assert.Contains(commandLine, rows[0]);
        Assert.Contains("SCIM token 'From the CLI'", rows[0]);
        Assert.Contains(AdminAction.ScimTokenRevoked, rows[0]);
        Assert.Contains(AdminAction.ScimTokenCreated, rows[1]);
        Assert.Contains("owner account owner@acme.example", rows[2]);
        Assert.Contains(AdminAction.ScimDisabled, rows[2]);
        Assert.Contains("member ann@acme.example (admin, single sign-on)", rows[3]);
        Assert.Contains("SCIM token 'Okta via Ann'", rows[3]);
        // The owner account's set-up: its password set through its link.
        Assert.Contains("owner account owner@acme.example", rows[4]);
        Assert.Contains(AdminAction.OwnerPasswordSet, rows[4]);
        Assert.Contains(commandLine, rows[5]);
        Assert.Contains("Group 'Roster Admins'", rows[5]);
        Assert.Contains(AdminAction.RoleMapped, rows[5]);
        Assert.DoesNotContain("Globex", html);
        Assert.DoesNotContain("gus@globex.example", html);
        Assert.DoesNotContain("id=\"older\"", html);

        // The command line prints the same entries, newest first.
        var printed = (await CliRunner.RunAsync(host.StoreArguments, "audit", "--enterprise", "acme")).Json.AsArray();
        Assert.Equal(
            [AdminAction.ScimTokenRevoked, AdminAction.ScimTokenCreated, AdminAction.ScimDisabled, AdminAction.ScimTokenCreated, AdminAction.OwnerPasswordSet,
             AdminAction.RoleMapped],
            printed.Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal(commandLine, printed[^1]!["actor"]!.GetValue<string>());
        Assert.Contains("'Roster Admins'", printed[^1]!["summary"]!.GetValue<string>());
        Assert.All(printed, e => Assert.NotNull(e!["time"]));
        var limited = (await CliRunner.RunAsync(host.StoreArguments, "audit", "--enterprise", "acme", "--limit", "2")).Json.AsArray();
        Assert.Equal(2, limited.Count);
        var older = (await CliRunner.RunAsync(host.StoreArguments, "audit", "--enterprise", "acme", "--before", limited[1]!["id"]!.ToString())).Json.AsArray();
        Assert.Equal(printed.Skip(2).Select(e => e!["id"]!.GetValue<long>()), older.Select(e => e!["id"]!.GetValue<long>()));
        var globexPrinted = Assert.Single((await CliRunner.RunAsync(host.StoreArguments, "audit", "--enterprise", "globex")).Json.AsArray());
        Assert.Equal("owner account gus@globex.example", globexPrinted!["actor"]!.GetValue<string>());
        Assert.Contains("--limit takes a whole number", (await CliRunner.RunAsync(host.StoreArguments, "audit", "--enterprise", "acme", "--limit", "0")).AssertFailed(2));
    }

    [Fact]
    public async Task Every_audited_command_line_verb_and_the_SAML_page_record_their_action_and_a_refused_one_nothing()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.Scim!.PostAsync("Groups", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Roster Admins"}""");
        var commandLine = $"command line ({Environment.UserName}@{Environment.MachineName})";
        async Task<CliResult> RunAsync(params string[] args)
        {
            var result = await CliRunner.RunAsync(host.StoreArguments, args);
            Assert.True(result.ExitCode == 0, result.Error);
            return result;
        }

        var owner = (await RunAsync("owner", "create", "--enterprise", "acme", "--email", "olga@acme.example", "--name", "Olga")).Json;
        Assert.Contains("/console/setup?token=", owner["setupUrl"]!.GetValue<string>());
        await RunAsync("saml", "configure", "--enterprise", "acme", "--idp-metadata", Sample("okta-idp-metadata.xml"));
        await RunAsync("scim", "disable", "--enterprise", "acme");
        // The IdP just changed, so its sign-in is untested: turning SCIM on is refused, and not recorded.
        Assert.Contains("no test sign-in has succeeded", (await CliRunner.RunAsync(host.StoreArguments, "scim", "enable", "--enterprise", "acme")).AssertFailed());
        await RunAsync("role", "map", "--enterprise", "acme", "--group", "Roster Admins", "--role", "admin");
        await RunAsync("role", "unmap", "--enterprise", "acme", "--group", "Roster Admins");
        using var browser = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        using (var saved = await browser.SubmitAsync("/console/acme/saml",
                   [new("MetadataXml", await File.ReadAllTextAsync(Sample("okta-idp-metadata.xml"))), new("MatchBy", "userName")]))
            Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);

        var entries = await host.Directory.Audit.ListAsync(acme.Enterprise, 50);
        Assert.Equal(
            [
                (AdminAction.SamlConfigured, "owner account owner@acme.example"),
                (AdminAction.OwnerPasswordSet, "owner account owner@acme.example"),
                (AdminAction.RoleUnmapped, commandLine),
                (AdminAction.RoleMapped, commandLine),
                (AdminAction.ScimDisabled, commandLine),
                (AdminAction.SamlConfigured, commandLine),
                (AdminAction.OwnerCreated, commandLine),
            ],
            entries.Select(e => (e.Action, e.Actor)));
        Assert.StartsWith("SAML IdP changed: IdP http://www.okta.com/", entries[5].Summary);
        Assert.DoesNotContain(entries, e => e.Summary.Contains("rsl_", StringComparison.Ordinal)); // the set-up link is a secret
    }

    [Fact]
    public async Task Older_entries_are_a_page_back_by_id()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        var actor = AuditActor.OwnerAccount("owner@acme.example");
        for (var i = 1; i <= Roster.AdminConsole.Pages.AuditModel.PageSize + 3; i++)
            await host.Directory.Tokens.CreateAsync(acme.Enterprise, $"token {i:00}", null, actor);

        var newest = WebUtility.HtmlDecode(await PageAsync(owner));
        Assert.Equal(Roster.AdminConsole.Pages.AuditModel.PageSize, Regex.Matches(newest, "<tr id=\"audit-").Count);
        Assert.Contains("'token 53'", newest);
        Assert.DoesNotContain("'token 03'", newest);
        var older = Regex.Match(newest, "href=\"([^\"]+)\" id=\"older\"");
        Assert.True(older.Success);

        var page2 = WebUtility.HtmlDecode(await PageAsync(owner, older.Groups[1].Value));
        Assert.Equal(["'token 03'", "'token 02'", "'token 01'"], Regex.Matches(page2, "'token \\d\\d'").Select(m => m.Value));
        Assert.DoesNotContain("id=\"older\"", page2);
        Assert.Contains("href=\"/console/acme/audit\" id=\"newest\"", page2);

        var pastTheEnd = await PageAsync(owner, Page + "?before=1");
        Assert.Contains("No older actions.", pastTheEnd);
        using var notANumber = await owner.GetAsync(Page + "?before=abc");
        Assert.Equal(HttpStatusCode.OK, notANumber.StatusCode);
    }

    [Fact]
    public async Task A_plain_member_and_another_enterprise_s_owner_get_403()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var globex = await SamlTestEnterprise.CreateAsync(host, "Globex");
        await acme.ProvisionAsync("bob@acme.example");
        await host.Directory.ScimActivation.DisableAsync(acme.Enterprise, AuditActor.OwnerAccount("owner@acme.example"));
        using var bob = await ConsoleAccessTests.SignedInBySamlAsync(acme, "bob@acme.example");
        using var gus = await ConsoleBrowser.SignedInOwnerAsync(host, globex.Enterprise, "gus@globex.example");

        foreach (var browser in new[] { bob, gus })
        {
            using var refused = await browser.GetAsync(Page);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains("You don't have access to this page", html);
            Assert.DoesNotContain(AdminAction.ScimDisabled, html);
        }
    }

    static string Text(string html) => WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", " "));

    static async Task<string> PageAsync(SamlBrowser browser, string path = Page)
    {
        using var page = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync();
    }

    static string Sample(string name) => SamlSamples.PathOf(name);
}
