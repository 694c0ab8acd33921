using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests.Conformance;

/// <summary>
/// SCIM Groups (RFC 7643 §4.2, RFC 7644 §3) over HTTP, on SQLite and PostgreSQL, as Okta Group Push
/// and Entra ID drive them (idp-behaviors.md §1.3, §2.2, §2.3): lookup by displayName, create, get,
/// membership PATCH in both IdPs' forms, rename, PUT, delete; and the read-only User.groups.
/// </summary>
public sealed class Rfc7643Section4_2_GroupTests
{
    const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
    const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    const string EntraGroup = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

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

    static async Task<string[]> MemberIdsAsync(ScimClient client, string groupId)
    {
        var group = (await client.GetAsync($"Groups/{groupId}")).AssertOk();
        return (group["members"]?.AsArray() ?? []).Select(m => m!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
    }

    static string[] Sorted(params string[] ids) => ids.Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Okta_group_push_links_creates_changes_membership_renames_and_deletes(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var alice = await CreateUserAsync(okta, "alice@okta.local", "Alice A");
        var bob = await CreateUserAsync(okta, "bob@okta.local", "Bob B");

        // Linking by name finds nothing: 200 and an empty list, not 404.
        var lookup = (await okta.GetAsync("Groups?filter=displayName%20eq%20%22Test%20SCIMv2%22")).AssertOk();
        Assert.Equal(0, lookup["totalResults"]!.GetValue<int>());
        Assert.Empty(lookup["Resources"]!.AsArray());

        var created = await okta.PostAsync("Groups", $$"""{"schemas":["{{GroupSchema}}"],"displayName":"Test SCIMv2","members":[]}""");
        var group = created.AssertOk(201);
        var id = group["id"]!.GetValue<string>();
        Assert.Equal("Test SCIMv2", group["displayName"]!.GetValue<string>());
        Assert.Equal("Group", group["meta"]!["resourceType"]!.GetValue<string>());
        Assert.Equal(group["meta"]!["location"]!.GetValue<string>(), created.Headers.Location!.ToString());
        Assert.EndsWith($"/Groups/{id}", group["meta"]!["location"]!.GetValue<string>());

        // The lookup now finds it, whatever the case.
        var found = (await okta.GetAsync("Groups?filter=displayName%20eq%20%22test%20scimv2%22")).AssertOk();
        Assert.Equal(id, Assert.Single(found["Resources"]!.AsArray())!["id"]!.GetValue<string>());

        // Membership push: remove one by filter, add one with display.
        Assert.Equal(204, (await okta.PatchAsync($"Groups/{id}", Patch(
            $$"""{"op":"add","path":"members","value":[{"value":"{{alice}}","display":"alice@okta.local"},{"value":"{{bob}}"}]}"""))).Status);
        Assert.Equal(Sorted(alice, bob), await MemberIdsAsync(okta, id));
        var withMembers = (await okta.GetAsync($"Groups/{id}")).AssertOk();
        var aliceElement = withMembers["members"]!.AsArray().Single(m => m!["value"]!.GetValue<string>() == alice)!;
        Assert.Equal("Alice A", aliceElement["display"]!.GetValue<string>());
        Assert.Equal("User", aliceElement["type"]!.GetValue<string>());
        Assert.EndsWith($"/Users/{alice}", aliceElement["$ref"]!.GetValue<string>());

        // Import lists groups with their members; attributes can leave them out, or keep only values.
        await CreateGroupAsync(okta, "Empty");
        var imported = (await okta.GetAsync("Groups?startIndex=1&count=100")).AssertOk();
        Assert.Equal(2, imported["itemsPerPage"]!.GetValue<int>());
        var first = imported["Resources"]![0]!;
        Assert.Equal(id, first["id"]!.GetValue<string>());
        Assert.Equal(Sorted(alice, bob), first["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());
        Assert.Empty(imported["Resources"]![1]!["members"]!.AsArray());
        Assert.Equal("Group", imported["Resources"]![1]!["meta"]!["resourceType"]!.GetValue<string>());
        var names = (await okta.GetAsync("Groups?attributes=displayName")).AssertOk()["Resources"]![0]!.AsObject();
        Assert.Null(names["members"]);
        Assert.Equal(id, names["id"]!.GetValue<string>());
        var values = (await okta.GetAsync($"Groups/{id}?attributes=members.value")).AssertOk();
        Assert.Null(values["displayName"]);
        Assert.All(values["members"]!.AsArray(), m => Assert.Equal(["value"], m!.AsObject().Select(p => p.Key).ToArray()));
        Assert.Equal(204, (await okta.DeleteAsync($"Groups/{imported["Resources"]![1]!["id"]!.GetValue<string>()}")).Status);

        Assert.Equal(204, (await okta.PatchAsync($"Groups/{id}", Patch(
            $$"""{"op":"remove","path":"members[value eq \"{{bob}}\"]"}"""))).Status);
        Assert.Equal([alice], await MemberIdsAsync(okta, id));

        // The rename Okta sends with every membership update: carries the id, leaves members alone.
        Assert.Equal(204, (await okta.PatchAsync($"Groups/{id}", Patch(
            $$"""{"op":"replace","value":{"id":"{{id}}","displayName":"Renamed SCIMv2"} }"""))).Status);
        var renamed = (await okta.GetAsync($"Groups/{id}")).AssertOk();
        Assert.Equal("Renamed SCIMv2", renamed["displayName"]!.GetValue<string>());
        Assert.Equal(id, renamed["id"]!.GetValue<string>());
        Assert.Equal([alice], await MemberIdsAsync(okta, id));

        // Each write is in the provisioning log as a Group change.
        var log = await host.Directory.Log.QueryAsync(okta.Enterprise, failedOnly: false, limit: 10, targetId: id);
        Assert.Equal(["renamed", "members +0 -1", "members +2 -0", "created"], log.Select(e => e.Effect ?? "").ToArray());
        Assert.All(log, e => Assert.Equal("Group", e.ResourceType));
        Assert.Equal("Renamed SCIMv2", log[0].TargetName);
        Assert.Equal(204, log[0].HttpStatus);

        Assert.Equal(204, (await okta.DeleteAsync($"Groups/{id}")).Status);
        (await okta.GetAsync($"Groups/{id}")).AssertError(404);
        Assert.Equal(0, (await okta.GetAsync("Groups")).AssertOk()["totalResults"]!.GetValue<int>());
        // The member is no longer in any group.
        Assert.Null((await okta.GetAsync($"Users/{alice}")).AssertOk()["groups"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Entra_creates_with_its_extra_schema_adds_and_removes_with_value_arrays_and_reads_without_members(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var entra = await host.CreateEnterpriseAsync("Contoso");
        var u1 = await CreateUserAsync(entra, "u1@contoso.com", "One");
        var u2 = await CreateUserAsync(entra, "u2@contoso.com", "Two");
        var u3 = await CreateUserAsync(entra, "u3@contoso.com", "Three");

        var group = (await entra.PostAsync("Groups", $$"""
            {"schemas":["{{GroupSchema}}","{{EntraGroup}}"],
             "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"displayName","meta":{"resourceType":"Group"} }
            """)).AssertOk(201);
        var id = group["id"]!.GetValue<string>();
        Assert.Equal([GroupSchema], group["schemas"]!.AsArray().Select(s => s!.GetValue<string>()).ToArray());
        Assert.Equal("8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", group["externalId"]!.GetValue<string>());

        Assert.Equal(204, (await entra.PatchAsync($"Groups/{id}", Patch(
            $$"""{"op":"Add","path":"members","value":[{"$ref":null,"value":"{{u1}}"},{"$ref":null,"value":"{{u2}}"},{"$ref":null,"value":"{{u3}}"}]}"""))).Status);
        Assert.Equal(Sorted(u1, u2, u3), await MemberIdsAsync(entra, id));

        Assert.Equal(204, (await entra.PatchAsync($"Groups/{id}", Patch(
            $$"""{"op":"Remove","path":"members","value":[{"$ref":null,"value":"{{u1}}"},{"value":"{{u3}}"}]}"""))).Status);
        Assert.Equal([u2], await MemberIdsAsync(entra, id));

        Assert.Equal(204, (await entra.PatchAsync($"Groups/{id}", Patch("""{"op":"Replace","path":"displayName","value":"Renamed"}"""))).Status);

        var one = (await entra.GetAsync($"Groups/{id}?excludedAttributes=members")).AssertOk();
        Assert.Null(one["members"]);
        Assert.Equal("Renamed", one["displayName"]!.GetValue<string>());

        var listed = (await entra.GetAsync("Groups?excludedAttributes=members&filter=displayName%20eq%20%22renamed%22")).AssertOk();
        var only = Assert.Single(listed["Resources"]!.AsArray())!;
        Assert.Equal(id, only["id"]!.GetValue<string>());
        Assert.Null(only["members"]);

        // Filters by externalId, id and member work; others are refused, not ignored.
        Assert.Equal(1, (await entra.GetAsync("Groups?filter=externalId%20eq%20%228aa1a0c0-c4c3-4bc0-b4a5-2ef676900159%22")).AssertOk()["totalResults"]!.GetValue<int>());
        Assert.Equal(1, (await entra.GetAsync($"Groups?filter=id%20eq%20%22{id}%22")).AssertOk()["totalResults"]!.GetValue<int>());
        Assert.Equal(1, (await entra.GetAsync($"Groups?filter=members%5Bvalue%20eq%20%22{u2}%22%5D")).AssertOk()["totalResults"]!.GetValue<int>());
        Assert.Equal(0, (await entra.GetAsync($"Groups?filter=members%5Bvalue%20eq%20%22{u1}%22%5D")).AssertOk()["totalResults"]!.GetValue<int>());
        // The whole grammar runs on Groups too; what a Group does not have is refused, not ignored.
        Assert.Equal(1, (await entra.GetAsync("Groups?filter=displayName%20co%20%22REN%22")).AssertOk()["totalResults"]!.GetValue<int>());
        (await entra.GetAsync("Groups?filter=shoeSize%20eq%20%2242%22")).AssertError(400, "invalidFilter");

        // A PATCH that asks for attributes is answered with the group.
        var answered = (await entra.PatchAsync($"Groups/{id}?excludedAttributes=members", Patch(
            $$"""{"op":"add","path":"members","value":[{"value":"{{u1}}"}]}"""))).AssertOk();
        Assert.Equal(id, answered["id"]!.GetValue<string>());
        Assert.Null(answered["members"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task DisplayName_is_unique_without_regard_to_case(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        await CreateGroupAsync(client, "Engineering");
        var other = await CreateGroupAsync(client, "Sales");

        (await client.PostAsync("Groups", $$"""{"schemas":["{{GroupSchema}}"],"displayName":"ENGINEERING"}""")).AssertError(409, "uniqueness");
        (await client.PatchAsync($"Groups/{other}", Patch("""{"op":"replace","path":"displayName","value":"engineering"}"""))).AssertError(409, "uniqueness");
        (await client.PostAsync("Groups", $$"""{"schemas":["{{GroupSchema}}"]}""")).AssertError(400, "invalidValue");
        Assert.Equal(2, (await client.GetAsync("Groups")).AssertOk()["totalResults"]!.GetValue<int>());

        // Another enterprise may use the name.
        var globex = await host.CreateEnterpriseAsync("Globex");
        await CreateGroupAsync(globex, "Engineering");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_member_id_of_no_user_of_the_enterprise_fails_the_whole_request(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.CreateEnterpriseAsync("Acme");
        var globex = await host.CreateEnterpriseAsync("Globex");
        var alice = await CreateUserAsync(acme, "alice@acme.example", "Alice");
        var bob = await CreateUserAsync(acme, "bob@acme.example", "Bob");
        var foreign = await CreateUserAsync(globex, "carol@globex.example", "Carol");
        var id = await CreateGroupAsync(acme, "Team", alice);

        (await acme.PatchAsync($"Groups/{id}", Patch(
            $$"""{"op":"replace","path":"displayName","value":"Changed"}""",
            $$"""{"op":"remove","path":"members[value eq \"{{alice}}\"]"}""",
            $$"""{"op":"add","path":"members","value":[{"value":"{{bob}}"},{"value":"{{foreign}}"}]}"""))).AssertError(400, "invalidValue");
        var group = (await acme.GetAsync($"Groups/{id}")).AssertOk();
        Assert.Equal("Team", group["displayName"]!.GetValue<string>());
        Assert.Equal([alice], await MemberIdsAsync(acme, id));

        (await acme.PostAsync("Groups", $$"""{"schemas":["{{GroupSchema}}"],"displayName":"Other","members":[{"value":"no-such-user"}]}"""))
            .AssertError(400, "invalidValue");
        Assert.Equal(1, (await acme.GetAsync("Groups")).AssertOk()["totalResults"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Adding_twice_is_a_no_op_and_add_then_remove_in_one_request_applies_in_order(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var alice = await CreateUserAsync(client, "alice@acme.example", "Alice");
        var bob = await CreateUserAsync(client, "bob@acme.example", "Bob");
        var id = await CreateGroupAsync(client, "Team", alice);

        Assert.Equal(204, (await client.PatchAsync($"Groups/{id}", Patch(
            $$"""{"op":"add","path":"members","value":[{"value":"{{alice}}"},{"value":"{{alice}}"}]}"""))).Status);
        Assert.Equal([alice], await MemberIdsAsync(client, id));
        var log = await host.Directory.Log.QueryAsync(client.Enterprise, failedOnly: false, limit: 1, targetId: id);
        Assert.Equal("unchanged", log[0].Effect);

        // Removing someone who is not a member is not an error either.
        Assert.Equal(204, (await client.PatchAsync($"Groups/{id}", Patch($$"""{"op":"remove","path":"members[value eq \"{{bob}}\"]"}"""))).Status);
        Assert.Equal([alice], await MemberIdsAsync(client, id));

        // add then remove of bob: bob is out; remove then add of alice: alice stays.
        Assert.Equal(204, (await client.PatchAsync($"Groups/{id}", Patch(
            $$"""{"op":"add","path":"members","value":[{"value":"{{bob}}"}]}""",
            $$"""{"op":"remove","path":"members[value eq \"{{bob}}\"]"}""",
            $$"""{"op":"remove","path":"members[value eq \"{{alice}}\"]"}""",
            $$"""{"op":"add","path":"members","value":[{"value":"{{alice}}"}]}"""))).Status);
        Assert.Equal([alice], await MemberIdsAsync(client, id));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Put_and_replace_of_members_replace_the_whole_set(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var alice = await CreateUserAsync(client, "alice@acme.example", "Alice");
        var bob = await CreateUserAsync(client, "bob@acme.example", "Bob");
        var carol = await CreateUserAsync(client, "carol@acme.example", "Carol");
        var id = await CreateGroupAsync(client, "Team", alice, bob);
        Assert.Equal(Sorted(alice, bob), await MemberIdsAsync(client, id));

        var replaced = (await client.PutAsync($"Groups/{id}", $$"""
            {"schemas":["{{GroupSchema}}"],"id":"{{id}}","displayName":"Team 2","externalId":"ext-2","members":[{"value":"{{bob}}"},{"value":"{{carol}}"}]}
            """)).AssertOk();
        Assert.Equal("Team 2", replaced["displayName"]!.GetValue<string>());
        Assert.Equal("ext-2", replaced["externalId"]!.GetValue<string>());
        Assert.Equal(Sorted(bob, carol), replaced["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(Sorted(bob, carol), await MemberIdsAsync(client, id));

        Assert.Equal(204, (await client.PatchAsync($"Groups/{id}", Patch($$"""{"op":"replace","path":"members","value":[{"value":"{{alice}}"}]}"""))).Status);
        Assert.Equal([alice], await MemberIdsAsync(client, id));
        var log = await host.Directory.Log.QueryAsync(client.Enterprise, failedOnly: false, limit: 2, targetId: id);
        Assert.Equal(["members +1 -2", "renamed, members +1 -1"], log.Select(e => e.Effect ?? "").ToArray());

        // A PUT without members leaves the group empty; externalId left out is gone.
        (await client.PutAsync($"Groups/{id}", $$"""{"schemas":["{{GroupSchema}}"],"displayName":"Team 2"}""")).AssertOk();
        Assert.Empty(await MemberIdsAsync(client, id));
        Assert.Null((await client.GetAsync($"Groups/{id}")).AssertOk()["externalId"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Users_show_their_groups_and_deleting_a_user_ends_their_memberships(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var alice = await CreateUserAsync(client, "alice@acme.example", "Alice");
        var bob = await CreateUserAsync(client, "bob@acme.example", "Bob");
        var engineering = await CreateGroupAsync(client, "Engineering", alice, bob);
        var sales = await CreateGroupAsync(client, "Sales", alice);

        var user = (await client.GetAsync($"Users/{alice}")).AssertOk();
        var groups = user["groups"]!.AsArray();
        Assert.Equal([engineering, sales], groups.Select(g => g!["value"]!.GetValue<string>()).ToArray());
        Assert.Equal("Engineering", groups[0]!["display"]!.GetValue<string>());
        Assert.Equal("direct", groups[0]!["type"]!.GetValue<string>());
        Assert.EndsWith($"/Groups/{engineering}", groups[0]!["$ref"]!.GetValue<string>());

        // In a list too, and after a membership change.
        Assert.Equal(204, (await client.PatchAsync($"Groups/{sales}", Patch($$"""{"op":"add","path":"members","value":[{"value":"{{bob}}"}]}"""))).Status);
        Assert.Equal(204, (await client.PatchAsync($"Groups/{engineering}", Patch($$"""{"op":"remove","path":"members[value eq \"{{alice}}\"]"}"""))).Status);
        var list = (await client.GetAsync("Users?sortBy=userName")).AssertOk()["Resources"]!.AsArray();
        Assert.Equal([sales], list[0]!["groups"]!.AsArray().Select(g => g!["value"]!.GetValue<string>()).ToArray());
        Assert.Equal([engineering, sales], list[1]!["groups"]!.AsArray().Select(g => g!["value"]!.GetValue<string>()).ToArray());
        Assert.Null((await client.GetAsync($"Users/{alice}?excludedAttributes=groups")).AssertOk()["groups"]);

        // A client cannot write groups on the User.
        (await client.PatchAsync($"Users/{alice}", Patch("""{"op":"replace","path":"displayName","value":"Alice Z"}"""))).AssertOk();
        Assert.Single((await client.GetAsync($"Users/{alice}")).AssertOk()["groups"]!.AsArray());

        // Deactivating removes nothing; deleting removes the memberships.
        (await client.PatchAsync($"Users/{bob}", Patch("""{"op":"replace","value":{"active":false}}"""))).AssertOk();
        Assert.Equal(2, (await client.GetAsync($"Users/{bob}")).AssertOk()["groups"]!.AsArray().Count);
        Assert.Equal([bob], await MemberIdsAsync(client, engineering));
        var before = (await client.GetAsync($"Groups/{engineering}")).AssertOk()["meta"]!["version"]!.GetValue<string>();
        Assert.Equal(204, (await client.DeleteAsync($"Users/{bob}")).Status);
        Assert.Empty(await MemberIdsAsync(client, engineering));
        Assert.NotEqual(before, (await client.GetAsync($"Groups/{engineering}")).AssertOk()["meta"]!["version"]!.GetValue<string>());
        Assert.Equal([alice], await MemberIdsAsync(client, sales));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task RFC_7644_section_3_4_3_groups_are_searched_by_POST_as_by_GET(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var ann = await CreateUserAsync(client, "ann@acme.example", "Ann");
        await CreateGroupAsync(client, "Engineering", ann);
        await CreateGroupAsync(client, "Sales");
        var filter = $$"""members[value eq \"{{ann}}\"]""";
        var search = (await client.PostAsync("Groups/.search", $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"{{filter}}","excludedAttributes":["members"]}
            """)).AssertOk();
        var get = (await client.GetAsync("Groups?excludedAttributes=members&filter=" + Uri.EscapeDataString($"members[value eq \"{ann}\"]"))).AssertOk();
        Assert.Equal(get.ToJsonString(), search.ToJsonString());
        Assert.Equal("Engineering", Assert.Single(search["Resources"]!.AsArray())!["displayName"]!.GetValue<string>());
        Assert.Null(search["Resources"]![0]!["members"]);
        (await client.GetAsync("Groups/.search")).AssertError(405);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task RFC_7644_section_3_4_2_the_whole_filter_grammar_and_sorting_on_groups(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var ann = await CreateUserAsync(client, "ann@acme.example", "Ann");
        var bob = await CreateUserAsync(client, "bob@acme.example", "Bob");
        await CreateGroupAsync(client, "Engineering", ann, bob);
        await CreateGroupAsync(client, "Engineering Managers", ann);
        await CreateGroupAsync(client, "Sales");
        (await client.PostAsync("Groups", $$"""{"schemas":["{{GroupSchema}}"],"displayName":"Ops","externalId":"ops-1"}""")).AssertOk(201);

        async Task<string[]> Names(string query) => (await client.GetAsync("Groups?excludedAttributes=members&" + query)).AssertOk()["Resources"]!
            .AsArray().Select(g => g!["displayName"]!.GetValue<string>()).ToArray();
        async Task<string[]> Filter(string filter) => await Names("sortBy=displayName&filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(["Engineering", "Engineering Managers"], await Filter("displayName sw \"engineering\""));
        Assert.Equal(["Engineering Managers"], await Filter("displayName ew \"MANAGERS\""));
        Assert.Equal(["Ops", "Sales"], await Filter("not (displayName co \"eng\")"));
        Assert.Equal(["Ops"], await Filter("externalId pr"));
        Assert.Equal(["Engineering", "Engineering Managers", "Sales"], await Filter("externalId eq null"));
        Assert.Equal(["Engineering", "Engineering Managers"], await Filter("members pr"));
        Assert.Equal(["Ops", "Sales"], await Filter("not (members pr)"));
        Assert.Equal(["Engineering"], await Filter($"members[value eq \"{bob}\"] and members[value eq \"{ann}\"]"));
        Assert.Equal(["Engineering", "Engineering Managers"], await Filter($"members[value eq \"{bob}\" or value eq \"{ann}\"]"));
        Assert.Equal(["Engineering", "Engineering Managers", "Ops", "Sales"], await Filter("meta.created gt \"2000-01-01T00:00:00Z\""));
        Assert.Equal(["Sales", "Ops", "Engineering Managers", "Engineering"], await Names("sortBy=displayName&sortOrder=descending"));
        Assert.Equal(["Ops", "Engineering", "Engineering Managers", "Sales"], await Names("sortBy=externalId"));
        (await client.GetAsync("Groups?filter=" + Uri.EscapeDataString("members[display eq \"Ann\"]"))).AssertError(400, "invalidFilter");
        (await client.GetAsync("Groups?sortBy=members")).AssertError(400, "invalidValue");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task RFC_9865_groups_page_by_cursor_too(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var ann = await CreateUserAsync(client, "ann@acme.example", "Ann");
        var names = Enumerable.Range(0, 5).Select(i => $"Team {i}").ToArray();
        foreach (var name in names) await CreateGroupAsync(client, name, ann);

        static string[] Names(System.Text.Json.Nodes.JsonObject page) =>
            page["Resources"]!.AsArray().Select(g => g!["displayName"]!.GetValue<string>()).ToArray();
        var first = (await client.GetAsync("Groups?cursor&count=2")).AssertOk();
        Assert.Equal(names[..2], Names(first));
        Assert.Equal(ann, first["Resources"]![0]!["members"]![0]!["value"]!.GetValue<string>()); // members still written
        var second = (await client.GetAsync($"Groups?count=2&excludedAttributes=members&cursor={Uri.EscapeDataString(first["nextCursor"]!.GetValue<string>())}")).AssertOk();
        Assert.Equal(names[2..4], Names(second));
        var third = (await client.GetAsync($"Groups?count=2&cursor={Uri.EscapeDataString(second["nextCursor"]!.GetValue<string>())}")).AssertOk();
        Assert.Equal(names[4..], Names(third));
        Assert.Null(third["nextCursor"]);
        var back = (await client.GetAsync($"Groups?count=2&cursor={Uri.EscapeDataString(third["previousCursor"]!.GetValue<string>())}")).AssertOk();
        Assert.Equal(names[2..4], Names(back));
        // A cursor of Groups is no position among Users.
        (await client.GetAsync($"Users?count=2&cursor={Uri.EscapeDataString(first["nextCursor"]!.GetValue<string>())}")).AssertError(400, "invalidCursor");
        var sorted = (await client.GetAsync("Groups?cursor&count=2&sortBy=displayName&sortOrder=descending")).AssertOk();
        Assert.Equal(["Team 4", "Team 3"], Names(sorted));
        var sortedNext = (await client.GetAsync($"Groups?count=2&sortBy=displayName&sortOrder=descending&cursor={Uri.EscapeDataString(sorted["nextCursor"]!.GetValue<string>())}")).AssertOk();
        Assert.Equal(["Team 2", "Team 1"], Names(sortedNext));
    }
}
