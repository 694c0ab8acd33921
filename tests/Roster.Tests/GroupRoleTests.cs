using System.Diagnostics;
using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests;

/// <summary>
/// Roles from IdP groups (issue 4): an admin maps a group to a role with the command line; a member's
/// role follows their groups as the IdP changes them over SCIM — the highest mapped role wins, a removal
/// lowers it at once, unmapped groups stay teams. And an Okta group push of 1,000 members, as Okta
/// sends it: users one by one, then the group, then its members in PATCH batches of 100.
/// </summary>
public sealed class GroupRoleTests
{
    const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
    const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    static string User(string userName, string displayName) => $$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","displayName":"{{displayName}}","active":true}
        """;

    static string Patch(params string[] operations) => $$"""{"schemas":["{{PatchOp}}"],"Operations":[{{string.Join(",", operations)}}]}""";

    static async Task<string> CreateUserAsync(ScimClient client, string userName, string displayName) =>
        (await client.PostAsync("Users", User(userName, displayName))).AssertOk(201)["id"]!.GetValue<string>();

    static async Task<string> CreateGroupAsync(ScimClient client, string displayName, params string[] memberIds)
    {
        var members = string.Join(",", memberIds.Select(id => $$"""{"value":"{{id}}"}"""));
        return (await client.PostAsync("Groups", $$"""{"schemas":["{{GroupSchema}}"],"displayName":"{{displayName}}","members":[{{members}}]}"""))
            .AssertOk(201)["id"]!.GetValue<string>();
    }

    static Task<CliResult> Cli(RosterTestHost host, params string[] args) => CliRunner.RunAsync(host.StoreArguments, args);

    static async Task<JsonObject> ShowAsync(RosterTestHost host, ScimClient client, string idOrUserName)
    {
        var result = await Cli(host, "member", "show", "--enterprise", client.Enterprise.Slug, idOrUserName);
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Json.AsObject();
    }

    static async Task<string> RoleAsync(RosterTestHost host, ScimClient client, string id) =>
        (await ShowAsync(host, client, id))["role"]!.GetValue<string>();

    static string[] GroupNames(JsonObject member) => member["groups"]!.AsArray().Select(g => g!.GetValue<string>()).ToArray();

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_members_role_follows_their_mapped_groups_and_unmapped_groups_are_teams(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var slug = okta.Enterprise.Slug;
        var alice = await CreateUserAsync(okta, "alice@okta.local", "Alice A");
        var bob = await CreateUserAsync(okta, "bob@okta.local", "Bob B");
        var carol = await CreateUserAsync(okta, "carol@okta.local", "Carol C");
        var admins = await CreateGroupAsync(okta, "Admins", alice, bob);
        var owners = await CreateGroupAsync(okta, "Owners", alice);
        await CreateGroupAsync(okta, "Design", bob);
        var contractors = await CreateGroupAsync(okta, "Contractors", carol);

        // Without a mapping everybody is a member, and groups are shown as teams.
        Assert.Equal("member", await RoleAsync(host, okta, alice));
        Assert.Equal(["Admins", "Design"], GroupNames(await ShowAsync(host, okta, "BOB@okta.local")));

        // Mapping: by displayName in any case, or by id.
        var mapped = await Cli(host, "role", "map", "--enterprise", slug, "--group", "admins", "--role", "admin");
        Assert.True(mapped.ExitCode == 0, mapped.Error);
        Assert.Equal(admins, mapped.Json["groupId"]!.GetValue<string>());
        Assert.Equal("Admins", mapped.Json["group"]!.GetValue<string>());
        Assert.Equal("admin", mapped.Json["role"]!.GetValue<string>());
        Assert.Equal(0, (await Cli(host, "role", "map", "--enterprise", slug, "--group", owners, "--role", "owner")).ExitCode);
        Assert.Equal(0, (await Cli(host, "role", "map", "--enterprise", slug, "--group", "Contractors", "--role", "guest")).ExitCode);

        var list = (await Cli(host, "role", "list", "--enterprise", slug)).Json.AsArray();
        Assert.Equal(["Owners:owner", "Admins:admin", "Contractors:guest"],
            list.Select(m => $"{m!["group"]!.GetValue<string>()}:{m["role"]!.GetValue<string>()}").ToArray());

        // The highest mapped role wins; an unmapped group changes nothing; a guest-only member is a guest.
        Assert.Equal("owner", await RoleAsync(host, okta, alice));
        var bobShown = await ShowAsync(host, okta, bob);
        Assert.Equal("admin", bobShown["role"]!.GetValue<string>());
        Assert.Equal(["Admins", "Design"], GroupNames(bobShown));
        Assert.Equal("bob@okta.local", bobShown["userName"]!.GetValue<string>());
        Assert.Equal("Bob B", bobShown["displayName"]!.GetValue<string>());
        Assert.True(bobShown["active"]!.GetValue<bool>());
        Assert.Equal("guest", await RoleAsync(host, okta, carol));

        // Okta removes Alice from Owners: she is an admin at once.
        Assert.Equal(204, (await okta.PatchAsync($"Groups/{owners}",
            Patch($$"""{"op":"remove","path":"members[value eq \"{{alice}}\"]"}"""))).Status);
        Assert.Equal("admin", await RoleAsync(host, okta, alice));

        var adminList = (await Cli(host, "member", "list", "--enterprise", slug, "--role", "admin")).Json.AsArray();
        Assert.Equal(["alice@okta.local", "bob@okta.local"], adminList.Select(m => m!["userName"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());
        var everyone = (await Cli(host, "member", "list", "--enterprise", slug)).Json.AsArray();
        Assert.Equal(3, everyone.Count);
        Assert.Single((await Cli(host, "member", "list", "--enterprise", slug, "--limit", "1")).Json.AsArray());

        // Okta deletes the Admins group: its mapping goes with it, and its members are members again.
        Assert.Equal(204, (await okta.DeleteAsync($"Groups/{admins}")).Status);
        Assert.Equal("member", await RoleAsync(host, okta, alice));
        var bobAfter = await ShowAsync(host, okta, bob);
        Assert.Equal("member", bobAfter["role"]!.GetValue<string>());
        Assert.Equal(["Design"], GroupNames(bobAfter));
        Assert.Equal(["Owners", "Contractors"], (await Cli(host, "role", "list", "--enterprise", slug)).Json.AsArray()
            .Select(m => m!["group"]!.GetValue<string>()).ToArray());

        // Unmapping: the guest is a member again and keeps the group as a team.
        var unmapped = await Cli(host, "role", "unmap", "--enterprise", slug, "--group", contractors);
        Assert.True(unmapped.ExitCode == 0, unmapped.Error);
        Assert.Equal("guest", unmapped.Json["role"]!.GetValue<string>());
        var carolAfter = await ShowAsync(host, okta, carol);
        Assert.Equal("member", carolAfter["role"]!.GetValue<string>());
        Assert.Equal(["Contractors"], GroupNames(carolAfter));
        Assert.Equal(owners, Assert.Single((await Cli(host, "role", "list", "--enterprise", slug)).Json.AsArray())!["groupId"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Role_verbs_fail_in_one_line_and_stay_within_the_enterprise(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.CreateEnterpriseAsync("Acme");
        var globex = await host.CreateEnterpriseAsync("Globex");
        var alice = await CreateUserAsync(acme, "alice@okta.local", "Alice A");
        var acmeAdmins = await CreateGroupAsync(acme, "Admins", alice);
        await CreateGroupAsync(globex, "Admins");

        Assert.Contains("No group 'Nobody'", (await Cli(host, "role", "map", "--enterprise", acme.Enterprise.Slug, "--group", "Nobody", "--role", "admin")).AssertFailed(1));
        (await Cli(host, "role", "map", "--enterprise", acme.Enterprise.Slug, "--group", "Admins", "--role", "superuser")).AssertFailed(2);
        (await Cli(host, "member", "list", "--enterprise", acme.Enterprise.Slug, "--role", "root")).AssertFailed(2);
        (await Cli(host, "role", "map", "--enterprise", acme.Enterprise.Slug, "--group", "Admins")).AssertFailed(2);
        Assert.Contains("not mapped", (await Cli(host, "role", "unmap", "--enterprise", acme.Enterprise.Slug, "--group", "Admins")).AssertFailed(1));
        Assert.Contains("No member", (await Cli(host, "member", "show", "--enterprise", acme.Enterprise.Slug, "nobody@okta.local")).AssertFailed(1));

        // Another enterprise's group of the same name, or its members, are out of reach.
        (await Cli(host, "role", "map", "--enterprise", globex.Enterprise.Slug, "--group", acmeAdmins, "--role", "owner")).AssertFailed(1);
        (await Cli(host, "member", "show", "--enterprise", globex.Enterprise.Slug, alice)).AssertFailed(1);
        Assert.Equal(0, (await Cli(host, "role", "map", "--enterprise", globex.Enterprise.Slug, "--group", "Admins", "--role", "owner")).ExitCode);
        Assert.Equal("member", await RoleAsync(host, acme, alice));

        // Mapping again changes the role.
        Assert.Equal(0, (await Cli(host, "role", "map", "--enterprise", acme.Enterprise.Slug, "--group", "ADMINS", "--role", "admin")).ExitCode);
        Assert.Equal("admin", await RoleAsync(host, acme, alice));
        Assert.Equal(0, (await Cli(host, "role", "map", "--enterprise", acme.Enterprise.Slug, "--group", "Admins", "--role", "guest")).ExitCode);
        Assert.Equal("guest", await RoleAsync(host, acme, alice));
        Assert.Single((await Cli(host, "role", "list", "--enterprise", acme.Enterprise.Slug)).Json.AsArray());
    }

    /// <summary>Okta assigns a group of 1,000 to the app: it creates each user as it does one by one
    /// (GET ?filter=userName eq → 200 and none, then POST), with a few requests at a time; then pushes
    /// the group without members and adds them by PATCH, 100 a request.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Okta_group_push_of_1000_members_arrives_and_maps_to_roles(string kind)
    {
        const int People = 1000;
        const int Concurrency = 8;
        const int Batch = 100;
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var clock = Stopwatch.StartNew();

        var ids = new string[People];
        await Parallel.ForEachAsync(Enumerable.Range(0, People), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, _) =>
        {
            var userName = $"user{i:D4}@okta.local";
            var lookup = (await okta.GetAsync($"Users?filter=userName%20eq%20%22{Uri.EscapeDataString(userName)}%22")).AssertOk();
            Assert.Equal(0, lookup["totalResults"]!.GetValue<int>());
            ids[i] = await CreateUserAsync(okta, userName, $"User {i}");
        });

        var groupLookup = (await okta.GetAsync("Groups?filter=displayName%20eq%20%22Engineering%22")).AssertOk();
        Assert.Equal(0, groupLookup["totalResults"]!.GetValue<int>());
        var group = await CreateGroupAsync(okta, "Engineering");
        foreach (var batch in ids.Chunk(Batch))
        {
            var values = string.Join(",", batch.Select(id => $$"""{"value":"{{id}}"}"""));
            Assert.Equal(204, (await okta.PatchAsync($"Groups/{group}", Patch($$"""{"op":"add","path":"members","value":[{{values}}]}"""))).Status);
        }

        var pushed = (await okta.GetAsync($"Groups/{group}")).AssertOk();
        Assert.Equal(ids.Order(StringComparer.Ordinal), pushed["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        var users = (await okta.GetAsync($"Users?startIndex=1&count={People}")).AssertOk();
        Assert.Equal(People, users["totalResults"]!.GetValue<int>());
        Assert.All(users["Resources"]!.AsArray(), u => Assert.Equal(group, Assert.Single(u!["groups"]!.AsArray())!["value"]!.GetValue<string>()));

        Assert.Equal(0, (await Cli(host, "role", "map", "--enterprise", okta.Enterprise.Slug, "--group", "Engineering", "--role", "admin")).ExitCode);
        var admins = (await Cli(host, "member", "list", "--enterprise", okta.Enterprise.Slug, "--role", "admin", "--limit", "5000")).Json.AsArray();
        Assert.Equal(People, admins.Count);
        Assert.All(admins, a => Assert.Equal(["Engineering"], GroupNames(a!.AsObject())));
        Assert.Empty((await Cli(host, "member", "list", "--enterprise", okta.Enterprise.Slug, "--role", "member")).Json.AsArray());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"The push took {clock.Elapsed}.");
    }
}
