using System.Net;
using System.Text.RegularExpressions;
using Roster.Directory.Roles;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>The Groups and Group pages over HTTP: groups pushed over SCIM with their member counts
/// and roles, a group's members, and the IdP-group → role mapping changed from the console through
/// RoleMappings (what `roster role list` reads).</summary>
public sealed class GroupsPageTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Groups_show_their_member_counts_and_roles_and_a_group_page_lists_its_members(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var ann = await acme.ProvisionAsync("ann@acme.example");
        var bob = await acme.ProvisionAsync("bob@acme.example");
        var cy = await acme.ProvisionAsync("cy@acme.example");
        var admins = await MembersPageTests.GroupAsync(acme, "Roster Admins", ann, bob);
        var engineering = await MembersPageTests.GroupAsync(acme, "Engineering", cy);
        await host.Directory.Roles.MapAsync(acme.Enterprise, "Roster Admins", EnterpriseRole.Admin);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        var html = await MembersPageTests.PageAsync(owner, "/console/acme/groups");
        var adminsRow = GroupRow(html, "groups", admins);
        Assert.Contains($"href=\"/console/acme/groups/{admins}\">Roster Admins</a>", adminsRow);
        Assert.Matches("<td>2</td>\\s*<td>Admin</td>", adminsRow);
        Assert.Matches("<td>1</td>\\s*<td>None</td>", GroupRow(html, "groups", engineering));
        Assert.Contains("Roster Admins", GroupRow(html, "mappings", admins));

        var group = await MembersPageTests.PageAsync(owner, $"/console/acme/groups/{admins}");
        Assert.Equal(new[] { ann, bob }.Order(), MembersPageTests.MemberIds(group).Order());
        Assert.Contains($"href=\"/console/acme/members/{ann}\"", group);
        Assert.StartsWith("Admin", ConsoleBrowser.TextOf(group, "group-role"));
        Assert.Equal("2", ConsoleBrowser.TextOf(group, "group-member-count"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Mapping_and_unmapping_from_the_console_changes_the_role_mappings_and_members_roles(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var ann = await acme.ProvisionAsync("ann@acme.example");
        var engineering = await MembersPageTests.GroupAsync(acme, "Engineering", ann);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        using (var mapped = await owner.SubmitAsync("/console/acme/groups", [new("GroupName", "ENGINEERING"), new("MapRole", "admin")],
                   "/console/acme/groups?handler=Map"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, mapped.StatusCode);
            Assert.Equal("/console/acme/groups?saved=mapped", mapped.Headers.Location!.OriginalString);
        }
        var mapping = Assert.Single(await host.Directory.Roles.ListAsync(acme.Enterprise));
        Assert.Equal((engineering, EnterpriseRole.Admin), (mapping.GroupId, mapping.Role));
        Assert.Equal(EnterpriseRole.Admin, await host.Directory.Roles.RoleOfAsync(acme.Enterprise, ann));
        Assert.Equal("Admin", ConsoleBrowser.TextOf(await MembersPageTests.PageAsync(owner, $"/console/acme/members/{ann}"), "member-role"));

        using (var unmapped = await owner.SubmitAsync("/console/acme/groups", [new("GroupId", engineering)], "/console/acme/groups?handler=Unmap"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, unmapped.StatusCode);
            Assert.Equal("/console/acme/groups?saved=unmapped", unmapped.Headers.Location!.OriginalString);
        }
        Assert.Empty(await host.Directory.Roles.ListAsync(acme.Enterprise));
        Assert.Equal(EnterpriseRole.Member, await host.Directory.Roles.RoleOfAsync(acme.Enterprise, ann));
        // Both changes are in the audit log, by the owner who made them, newest first.
        var audit = await host.Directory.Audit.ListAsync(acme.Enterprise, 10);
        Assert.Equal([Roster.Directory.Audit.AdminAction.RoleUnmapped, Roster.Directory.Audit.AdminAction.RoleMapped],
            audit.Where(e => e.Action.StartsWith("role.", StringComparison.Ordinal)).Select(e => e.Action));
        Assert.All(audit.Where(e => e.Action.StartsWith("role.", StringComparison.Ordinal)), e => Assert.StartsWith("owner account ", e.Actor));

        // A group that does not exist, or a role that does not, changes nothing and says why.
        foreach (var (fields, message) in new (KeyValuePair<string, string>[], string)[]
        {
            ([new("GroupName", "No Such Group"), new("MapRole", "admin")], "No group 'No Such Group'"),
            ([new("GroupName", "Engineering"), new("MapRole", "superuser")], "Choose a role"),
            ([new("GroupName", " "), new("MapRole", "admin")], "Give the name of the group"),
        })
        {
            using var refused = await owner.SubmitAsync("/console/acme/groups", fields, "/console/acme/groups?handler=Map");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(message, ConsoleBrowser.TextOf(await refused.Content.ReadAsStringAsync(), "error"));
        }
        using (var notMapped = await owner.SubmitAsync("/console/acme/groups", [new("GroupId", engineering)], "/console/acme/groups?handler=Unmap"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notMapped.StatusCode);
            Assert.Contains("is not mapped to a role", ConsoleBrowser.TextOf(await notMapped.Content.ReadAsStringAsync(), "error"));
        }
        Assert.Empty(await host.Directory.Roles.ListAsync(acme.Enterprise));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Another_enterprise_s_group_is_404_and_cannot_be_mapped(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var globex = await SamlTestEnterprise.CreateAsync(host, "Globex");
        var gail = await globex.ProvisionAsync("gail@globex.example");
        var globexAdmins = await MembersPageTests.GroupAsync(globex, "Globex Admins", gail);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        using var page = await owner.GetAsync($"/console/acme/groups/{globexAdmins}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("Globex Admins", await page.Content.ReadAsStringAsync());

        using var refused = await owner.SubmitAsync("/console/acme/groups", [new("GroupName", globexAdmins), new("MapRole", "owner")],
            "/console/acme/groups?handler=Map");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty(await host.Directory.Roles.ListAsync(globex.Enterprise));
    }

    [Fact]
    public async Task A_group_of_55_lists_its_members_50_a_page_each_once()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var ids = new List<string>();
        for (var i = 0; i < 55; i++) ids.Add(await acme.ProvisionAsync($"person{i:00}@acme.example"));
        await acme.ProvisionAsync("outsider@acme.example");
        var everyone = await MembersPageTests.GroupAsync(acme, "Everyone", [.. ids]);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        var first = await MembersPageTests.PageAsync(owner, $"/console/acme/groups/{everyone}");
        Assert.Equal("55", ConsoleBrowser.TextOf(first, "group-member-count"));
        var next = MembersPageTests.NextLink().Match(first);
        Assert.True(next.Success);
        var second = await MembersPageTests.PageAsync(owner, WebUtility.HtmlDecode(next.Groups[1].Value));
        Assert.False(MembersPageTests.NextLink().Match(second).Success);

        Assert.Equal(50, MembersPageTests.MemberIds(first).Count);
        Assert.Equal(ids.Order(), MembersPageTests.MemberIds(first).Concat(MembersPageTests.MemberIds(second)).Order());
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var ann = await acme.ProvisionAsync("ann@acme.example");
        var engineering = await MembersPageTests.GroupAsync(acme, "Engineering", ann);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        using var map = await owner.PostFormAsync("/console/acme/groups?handler=Map", [new("GroupName", "Engineering"), new("MapRole", "owner")]);
        Assert.Equal(HttpStatusCode.BadRequest, map.StatusCode);
        Assert.Empty(await host.Directory.Roles.ListAsync(acme.Enterprise));

        await host.Directory.Roles.MapAsync(acme.Enterprise, engineering, EnterpriseRole.Admin);
        using var unmap = await owner.PostFormAsync("/console/acme/groups?handler=Unmap", [new("GroupId", engineering)]);
        Assert.Equal(HttpStatusCode.BadRequest, unmap.StatusCode);
        Assert.Single(await host.Directory.Roles.ListAsync(acme.Enterprise));
    }

    [Fact]
    public async Task A_plain_member_gets_403_and_cannot_map_a_group()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var bob = await acme.ProvisionAsync("bob@acme.example");
        var engineering = await MembersPageTests.GroupAsync(acme, "Engineering", bob);
        using var browser = await ConsoleAccessTests.SignedInBySamlAsync(acme, "bob@acme.example");

        foreach (var path in new[] { "/console/acme/groups", $"/console/acme/groups/{engineering}" })
        {
            using var refused = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains("You don't have access to this page", html);
            Assert.DoesNotContain("Engineering", html);
        }
        // With a valid antiforgery token (from a page he may see), the handler itself refuses him.
        using var post = await browser.SubmitAsync("/console/acme/groups", [new("GroupName", "Engineering"), new("MapRole", "owner")],
            "/console/acme/groups?handler=Map");
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Empty(await host.Directory.Roles.ListAsync(acme.Enterprise));
        Assert.Equal(EnterpriseRole.Member, await host.Directory.Roles.RoleOfAsync(acme.Enterprise, bob));
    }

    static string GroupRow(string html, string table, string groupId)
    {
        var tableMatch = Regex.Match(html, $"<table[^>]* id=\"{table}\">(.*?)</table>", RegexOptions.Singleline);
        Assert.True(tableMatch.Success, $"No table #{table}");
        var row = Regex.Match(tableMatch.Groups[1].Value, $"<tr data-group-id=\"{Regex.Escape(groupId)}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, $"No row of group {groupId} in #{table}");
        return row.Groups[1].Value;
    }
}
