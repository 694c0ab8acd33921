using System.Net;
using System.Text.RegularExpressions;
using Roster.Directory.Roles;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>The Members and Member pages over HTTP, with members provisioned through the real SCIM
/// endpoint: search, filters, cursor pages, a member's status, groups, role, sessions and history,
/// and the same 404 for an unknown id and another enterprise's.</summary>
public sealed partial class MembersPageTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Paging_through_120_members_50_a_page_visits_each_exactly_once(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var provisioned = new List<string>();
        for (var i = 0; i < 120; i++) provisioned.Add(await acme.ProvisionAsync($"person{(i * 37) % 120:000}@acme.example"));
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        var seen = new List<string>();
        var pages = 0;
        string? next = "/console/acme/members";
        while (next is not null)
        {
            var html = await PageAsync(owner, next);
            var ids = MemberIds(html);
            Assert.True(ids.Count <= 50, $"A page of {ids.Count} members");
            seen.AddRange(ids);
            pages++;
            var link = NextLink().Match(html);
            next = link.Success ? WebUtility.HtmlDecode(link.Groups[1].Value) : null;
        }

        Assert.Equal(3, pages);
        Assert.Equal(provisioned.Order(), seen.Order());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Search_by_name_or_email_and_each_filter_find_the_right_members(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var ann = await ProvisionAsync(acme, "ann.lee@acme.example", "Ann Lee");
        var bob = await ProvisionAsync(acme, "bob@acme.example", "Robert Stone");
        var cy = await ProvisionAsync(acme, "cy@acme.example", "Cy Young");
        await DeactivateAsync(acme, bob);
        var admins = await GroupAsync(acme, "Roster Admins", ann, bob);
        await GroupAsync(acme, "Engineering", cy);
        await host.Directory.Roles.MapAsync(acme.Enterprise, "Roster Admins", EnterpriseRole.Admin);
        var globex = await SamlTestEnterprise.CreateAsync(host, "Globex");
        await globex.ProvisionAsync("ann.lee@globex.example");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        async Task<string[]> Found(string query) => MemberIds(await PageAsync(owner, "/console/acme/members" + query)).Order().ToArray();

        Assert.Equal(new[] { ann, bob, cy }.Order(), await Found(""));
        Assert.Equal([ann], await Found("?q=ANN.L"));                 // email and userName, any case
        Assert.Equal([bob], await Found("?q=robert"));                // name
        Assert.Empty(await Found("?q=stone"));                        // the start, not the middle
        Assert.Equal([bob], await Found("?status=deactivated"));
        Assert.Equal(new[] { ann, cy }.Order(), await Found("?status=active"));
        Assert.Equal(new[] { ann, bob }.Order(), await Found("?role=admin"));
        Assert.Equal([cy], await Found("?role=member"));
        Assert.Equal(new[] { ann, bob }.Order(), await Found($"?group={admins}"));
        Assert.Equal([ann], await Found($"?group={admins}&status=active&q=a"));
        Assert.Equal(new[] { ann, bob, cy }.Order(), await Found("?source=scim"));
        Assert.Empty(await Found("?source=saml-jit"));

        var list = await PageAsync(owner, "/console/acme/members?status=deactivated");
        Assert.Contains("Deactivated</span>", Row(list, bob));
        Assert.Contains("Admin", Row(list, bob));
        Assert.Contains($"href=\"/console/acme/members/{bob}\"", Row(list, bob));
        // The form keeps what was asked, so the page can be read and linked as it is.
        Assert.Matches("<option value=\"deactivated\" selected=\"selected\">", list);

        // Deleted by the IdP (the default policy removes, final at once): gone from every live list, and
        // listed with the members SCIM no longer sees, linking to their page and history.
        Assert.Equal(204, (await acme.Scim!.DeleteAsync($"Users/{cy}")).Status);
        Assert.Equal(new[] { ann, bob }.Order(), await Found(""));
        Assert.Equal([cy], await Found("?status=deprovisioned"));
        Assert.Equal([cy], await Found("?status=deprovisioned&q=cy"));
        Assert.Empty(await Found("?status=deprovisioned&q=ann"));
        var gone = await PageAsync(owner, "/console/acme/members?status=deprovisioned");
        Assert.Contains("Removed</span>", Row(gone, cy));
        Assert.Contains($"href=\"/console/acme/members/{cy}\"", Row(gone, cy));
        Assert.Contains("id=\"deprovisioned-hint\"", gone);
    }

    [Fact]
    public async Task A_filter_the_form_never_offers_or_a_broken_page_link_reads_as_a_message_not_an_error()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("ann@acme.example");
        var globex = await SamlTestEnterprise.CreateAsync(host, "Globex");
        var globexAnn = await globex.ProvisionAsync("ann@globex.example");
        var globexGroup = await GroupAsync(globex, "Globex Admins", globexAnn);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        foreach (var (query, message) in new[]
        {
            ("?status=gone", "Status is all, active, deactivated or deprovisioned"),
            ("?role=superuser", "Role is one of owner, admin, member, guest"),
            ("?source=ldap", "Source is one of scim, saml-jit"),
            ($"?group={globexGroup}", "That group is not one of this organisation"),
            ("?after=bm90LWEtY3Vyc29y", "This page link is out of date"),
        })
        {
            using var page = await owner.GetAsync("/console/acme/members" + query);
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.Contains(message, ConsoleBrowser.TextOf(await page.Content.ReadAsStringAsync(), "error"));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Text_no_name_can_hold_gets_a_message_on_either_database_never_a_500(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var ann = await acme.ProvisionAsync("ann@acme.example");
        await GroupAsync(acme, "Engineering", ann);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        // PostgreSQL refuses text holding NUL; Roster refuses it first, with a reason.
        foreach (var query in new[] { "?q=ann%00", "?group=x%00y", "?q=%07" })
        {
            using var page = await owner.GetAsync("/console/acme/members" + query);
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.NotEmpty(ConsoleBrowser.TextOf(await page.Content.ReadAsStringAsync(), "error"));
        }
        using var mapped = await owner.SubmitAsync("/console/acme/groups", [new("GroupName", "Engi\0neering"), new("MapRole", "admin")],
            "/console/acme/groups?handler=Map");
        Assert.Equal(HttpStatusCode.BadRequest, mapped.StatusCode);
        Assert.Empty(await host.Directory.Roles.ListAsync(acme.Enterprise));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_member_page_shows_status_groups_role_sessions_and_the_whole_provisioning_history(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var ann = await ProvisionAsync(acme, "ann@acme.example", "Ann Lee");
        var admins = await GroupAsync(acme, "Roster Admins", ann);
        await host.Directory.Roles.MapAsync(acme.Enterprise, "Roster Admins", EnterpriseRole.Admin);
        using (await ConsoleAccessTests.SignedInBySamlAsync(acme, "ann@acme.example")) { }
        (await acme.Scim!.PatchAsync($"Users/{ann}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Engineer"}]}""")).AssertOk();
        // A request that fails: renaming her to a userName another member has.
        await acme.ProvisionAsync("taken@acme.example");
        (await acme.Scim.PatchAsync($"Users/{ann}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"userName","value":"taken@acme.example"}]}""")).AssertError(409);
        await DeactivateAsync(acme, ann);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        var html = await PageAsync(owner, $"/console/acme/members/{ann}");

        Assert.StartsWith("Deactivated", ConsoleBrowser.TextOf(html, "member-status"));
        Assert.Contains("since", ConsoleBrowser.TextOf(html, "member-status"));
        Assert.Equal("Admin", ConsoleBrowser.TextOf(html, "member-role"));
        Assert.Contains($"<a href=\"/console/acme/groups/{admins}\">Roster Admins</a>", html);
        Assert.Equal("SCIM", ConsoleBrowser.TextOf(html, "member-source"));
        // The SAML sign-in's session, ended by the deactivation.
        var sessions = Table(html, "sessions");
        Assert.Single(Regex.Matches(sessions, "<tr>").Skip(1));
        Assert.Contains("Ended", sessions);
        // Every request that targeted her, newest first, each linking to its log entry.
        var history = await host.Directory.Log.QueryAsync(acme.Enterprise, failedOnly: false, limit: 100, targetId: ann);
        Assert.True(history.Count >= 4, $"{history.Count} entries");
        Assert.Contains(history, e => e.Outcome == "failed");
        var shown = Regex.Matches(Table(html, "history"), "data-entry-id=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(history.Select(e => e.Id), shown);
        foreach (var entry in history) Assert.Contains($"href=\"/console/acme/log/{entry.Id}\"", html);
        Assert.Contains("Failed</span>", Table(html, "history"));
        Assert.Contains("deactivated", Table(html, "history"));
        // The profile as stored, pretty-printed.
        var resource = ConsoleBrowser.TextOf(Regex.Replace(html, "<pre ([^>]*)>", "<div $1>").Replace("</pre>", "</div>"), "resource");
        Assert.Contains("\"userName\": \"ann@acme.example\"", resource);
        Assert.Contains("\"title\": \"Engineer\"", resource);
    }

    [Fact]
    public async Task A_long_history_reads_50_entries_a_page_newest_first_back_to_the_first_request()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var ann = await acme.ProvisionAsync("ann@acme.example");
        for (var i = 0; i < 52; i++)
        {
            (await acme.Scim!.PatchAsync($"Users/{ann}",
                $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Title {{i}}"}]}""")).AssertOk();
        }
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        var all = (await host.Directory.Log.QueryAsync(acme.Enterprise, failedOnly: false, limit: 100, targetId: ann)).Select(e => e.Id).ToList();
        Assert.Equal(53, all.Count);

        var shown = new List<long>();
        string? next = $"/console/acme/members/{ann}";
        while (next is not null)
        {
            var html = await PageAsync(owner, next);
            shown.AddRange(Regex.Matches(html, "data-entry-id=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value)));
            var older = Regex.Match(html, "<a href=\"([^\"]+)\" id=\"older-history\"");
            next = older.Success ? WebUtility.HtmlDecode(older.Groups[1].Value) : null;
        }

        Assert.Equal(all, shown);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Another_enterprise_s_member_and_an_unknown_id_are_the_same_404(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("ann@acme.example");
        var globex = await SamlTestEnterprise.CreateAsync(host, "Globex");
        var globexMember = await globex.ProvisionAsync("gail@globex.example");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        using var other = await owner.GetAsync($"/console/acme/members/{globexMember}");
        using var unknown = await owner.GetAsync("/console/acme/members/0190a1b2-0000-7000-8000-000000000000");

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var otherHtml = await other.Content.ReadAsStringAsync();
        Assert.Equal(ConsoleBrowser.TextOf(await unknown.Content.ReadAsStringAsync(), "not-found"), ConsoleBrowser.TextOf(otherHtml, "not-found"));
        Assert.DoesNotContain("gail", otherHtml);
    }

    [Fact]
    public async Task A_plain_member_signed_in_by_SAML_gets_403_on_the_members_and_member_pages()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var bob = await acme.ProvisionAsync("bob@acme.example");
        using var browser = await ConsoleAccessTests.SignedInBySamlAsync(acme, "bob@acme.example");

        foreach (var path in new[] { "/console/acme/members", $"/console/acme/members/{bob}", "/console/acme/members?q=bob" })
        {
            using var refused = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains("You don't have access to this page", html);
            Assert.DoesNotContain("bob@acme.example</", html);
        }
    }

    internal static async Task<string> ProvisionAsync(SamlTestEnterprise enterprise, string userName, string displayName)
    {
        var body = $$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","displayName":"{{displayName}}",
             "emails":[{"primary":true,"value":"{{userName}}","type":"work"}],"active":true}
            """;
        return (await enterprise.Scim!.PostAsync("Users", body)).AssertOk(201)["id"]!.GetValue<string>();
    }

    internal static async Task DeactivateAsync(SamlTestEnterprise enterprise, string id) =>
        (await enterprise.Scim!.PatchAsync($"Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""")).AssertOk();

    internal static async Task<string> GroupAsync(SamlTestEnterprise enterprise, string name, params string[] memberIds)
    {
        var members = string.Join(",", memberIds.Select(id => $$"""{"value":"{{id}}"}"""));
        return (await enterprise.Scim!.PostAsync("Groups",
                $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"{{name}}","members":[{{members}}]}"""))
            .AssertOk(201)["id"]!.GetValue<string>();
    }

    internal static async Task<string> PageAsync(SamlBrowser browser, string path)
    {
        using var page = await browser.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{path}: {(int)page.StatusCode} {html}");
        return html;
    }

    /// <summary>The ids of the member rows of the page's members table.</summary>
    internal static List<string> MemberIds(string html) =>
        Regex.Matches(html, "<tr data-member-id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

    static string Row(string html, string memberId)
    {
        var match = Regex.Match(html, $"<tr data-member-id=\"{Regex.Escape(memberId)}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No row of {memberId}");
        return match.Groups[1].Value;
    }

    static string Table(string html, string id)
    {
        var match = Regex.Match(html, $"<table[^>]* id=\"{Regex.Escape(id)}\">(.*?)</table>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No table #{id}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("<a href=\"([^\"]+)\" id=\"next-page\"")]
    internal static partial Regex NextLink();
}
