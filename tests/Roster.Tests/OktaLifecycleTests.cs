using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests;

/// <summary>
/// The whole lifecycle as Okta drives it (idp-behaviors.md §1.2, §1.4, §1.7), over real HTTP, on
/// SQLite and PostgreSQL: test credentials, assign (lookup then POST), profile push (GET then PUT),
/// unassign (PATCH active:false without a path), reassign, and import page by page.
/// </summary>
public sealed class OktaLifecycleTests
{
    const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    const string ListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    static string OktaUser(string userName, string given, string family, string externalId) => $$"""
        {"schemas":["{{UserSchema}}"],
         "userName":"{{userName}}",
         "name":{"givenName":"{{given}}","familyName":"{{family}}"},
         "emails":[{"primary":true,"value":"{{userName}}","type":"work"}],
         "displayName":"{{given}} {{family}}","locale":"en-US",
         "externalId":"{{externalId}}","groups":[],
         "password":"1mz050nq","active":true}
        """;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Okta_provisions_updates_deprovisions_and_restores_a_member(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");

        // Test API credentials: an empty directory is a valid, empty page.
        var probe = (await okta.GetAsync("Users?startIndex=1&count=2")).AssertOk();
        Assert.Equal(ListSchema, probe["schemas"]![0]!.GetValue<string>());
        Assert.Equal(0, probe["totalResults"]!.GetValue<int>());
        Assert.Empty(probe["Resources"]!.AsArray());

        // Assign: existence check by userName finds nobody (200, not 404), then POST.
        var lookup = (await okta.GetAsync("Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100")).AssertOk();
        Assert.Equal(0, lookup["totalResults"]!.GetValue<int>());
        Assert.Equal(1, lookup["startIndex"]!.GetValue<int>());
        Assert.Equal(0, lookup["itemsPerPage"]!.GetValue<int>());

        var created = await okta.PostAsync("Users", OktaUser("test.user@okta.local", "Test", "User", "00ujl29u0le5T6Aj10h7"));
        var user = created.AssertOk(201);
        var id = user["id"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal("test.user@okta.local", user["userName"]!.GetValue<string>());
        Assert.Equal("00ujl29u0le5T6Aj10h7", user["externalId"]!.GetValue<string>());
        Assert.True(user["active"]!.GetValue<bool>());
        Assert.Null(user["password"]);
        Assert.Null(user["groups"]); // read-only: what the client sent is not stored
        var meta = user["meta"]!.AsObject();
        Assert.Equal("User", meta["resourceType"]!.GetValue<string>());
        Assert.Equal(meta["location"]!.GetValue<string>(), created.Headers.Location!.ToString());
        Assert.EndsWith($"/scim/v2/{okta.Enterprise.Slug}/Users/{id}", meta["location"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(meta["created"]!.GetValue<string>(), out _));
        Assert.Equal(meta["created"]!.GetValue<string>(), meta["lastModified"]!.GetValue<string>());
        Assert.Equal("W/\"1\"", meta["version"]!.GetValue<string>());
        Assert.Equal(1, (await host.Directory.Enterprises.SummarizeAsync(okta.Enterprise)).SeatsUsed);

        // The lookup now finds the member, in any case (userName is not case-exact).
        var found = (await okta.GetAsync("Users?filter=userName+eq+%22TEST.USER%40OKTA.LOCAL%22&startIndex=1&count=100")).AssertOk();
        Assert.Equal(1, found["totalResults"]!.GetValue<int>());
        Assert.Equal(id, found["Resources"]![0]!["id"]!.GetValue<string>());

        // Profile push: GET, change the name, PUT the whole object back with the read-only parts
        // (and the old guide's non-ISO meta dates) echoed.
        var current = (await okta.GetAsync($"Users/{id}")).AssertOk();
        current["name"] = new JsonObject { ["givenName"] = "Another", ["middleName"] = "Excited", ["familyName"] = "User" };
        current["groups"] = new JsonArray();
        current["password"] = "s3cret-pass";
        current["meta"] = new JsonObject { ["resourceType"] = "User", ["created"] = "04-12-2018 00:00:00", ["lastModified"] = "04-12-2018 00:00:00" };
        var put = (await okta.PutAsync($"Users/{id}", current.ToJsonString())).AssertOk();
        Assert.Equal("Another", put["name"]!["givenName"]!.GetValue<string>());
        Assert.Equal("Excited", put["name"]!["middleName"]!.GetValue<string>());
        Assert.Equal(id, put["id"]!.GetValue<string>());
        Assert.Equal("W/\"2\"", put["meta"]!["version"]!.GetValue<string>());
        Assert.Null(put["password"]);
        Assert.Equal("Another", (await okta.GetAsync($"Users/{id}")).AssertOk()["name"]!["givenName"]!.GetValue<string>());

        // A session the member holds in the product, to see deprovisioning end it.
        var session = await host.Directory.Sessions.OpenAsync(okta.Enterprise, id, TimeSpan.FromHours(8));
        Assert.NotNull(await host.Directory.Sessions.ValidateAsync(session.Secret));

        // Unassign: PATCH active:false, no path.
        var deactivated = (await okta.PatchAsync($"Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""")).AssertOk();
        Assert.False(deactivated["active"]!.GetValue<bool>());
        Assert.Null(await host.Directory.Sessions.ValidateAsync(session.Secret));
        Assert.Equal(0, await host.Directory.Sessions.CountOpenAsync(id));
        var summary = await host.Directory.Enterprises.SummarizeAsync(okta.Enterprise);
        Assert.Equal(0, summary.SeatsUsed);
        Assert.Equal(1, summary.MembersDeactivated);

        // Still findable, by id and by filter, so that a reassignment finds them again.
        Assert.False((await okta.GetAsync($"Users/{id}")).AssertOk()["active"]!.GetValue<bool>());
        var stillThere = (await okta.GetAsync("Users?filter=userName%20eq%20%22test.user%40okta.local%22")).AssertOk();
        Assert.Equal(1, stillThere["totalResults"]!.GetValue<int>());
        Assert.False(stillThere["Resources"]![0]!["active"]!.GetValue<bool>());
        // A reassigned member cannot be created twice.
        (await okta.PostAsync("Users", OktaUser("test.user@okta.local", "Test", "User", "00ujl29u0le5T6Aj10h7"))).AssertError(409, "uniqueness");

        // Reassign: PATCH active:true restores the same member, profile and history.
        var restored = (await okta.PatchAsync($"Users/{id}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}""")).AssertOk();
        Assert.True(restored["active"]!.GetValue<bool>());
        Assert.Equal(id, restored["id"]!.GetValue<string>());
        Assert.Equal("Another", restored["name"]!["givenName"]!.GetValue<string>());
        Assert.Equal(meta["created"]!.GetValue<string>(), restored["meta"]!["created"]!.GetValue<string>());
        Assert.Equal(1, (await host.Directory.Enterprises.SummarizeAsync(okta.Enterprise)).SeatsUsed);

        var history = await host.Directory.Log.QueryAsync(okta.Enterprise, failedOnly: false, limit: 100, targetId: id);
        Assert.Equal(["reactivated", "deactivated", "updated", "provisioned"],
            history.Where(e => e.Outcome == "succeeded").Select(e => e.Effect!).ToArray());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_pages_through_every_member_in_a_stable_order(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var userNames = Enumerable.Range(0, 7).Select(i => $"person{i}@acme.example").ToList();
        foreach (var userName in userNames)
        {
            (await okta.PostAsync("Users", OktaUser(userName, "P", "Erson", Guid.NewGuid().ToString("N")))).AssertOk(201);
        }
        // One deactivated member is still imported.
        var first = (await okta.GetAsync("Users?count=1")).AssertOk()["Resources"]![0]!["id"]!.GetValue<string>();
        (await okta.PatchAsync($"Users/{first}", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""")).AssertOk();

        var seen = new List<string>();
        for (var start = 1; ; start += 3)
        {
            var page = (await okta.GetAsync($"Users?startIndex={start}&count=3")).AssertOk();
            Assert.Equal(7, page["totalResults"]!.GetValue<int>());
            Assert.Equal(start, page["startIndex"]!.GetValue<int>());
            var resources = page["Resources"]!.AsArray();
            Assert.Equal(resources.Count, page["itemsPerPage"]!.GetValue<int>());
            if (resources.Count == 0) break;
            seen.AddRange(resources.Select(r => r!["userName"]!.GetValue<string>()));
        }
        Assert.Equal(userNames, seen);

        // The same order whatever the page size.
        var all = (await okta.GetAsync("Users?startIndex=1&count=100")).AssertOk()["Resources"]!.AsArray().Select(r => r!["userName"]!.GetValue<string>());
        Assert.Equal(userNames, all);
        // count=0 answers the total only; a start past the end is an empty page.
        var countOnly = (await okta.GetAsync("Users?count=0")).AssertOk();
        Assert.Equal(7, countOnly["totalResults"]!.GetValue<int>());
        Assert.Empty(countOnly["Resources"]!.AsArray());
        Assert.Empty((await okta.GetAsync("Users?startIndex=50")).AssertOk()["Resources"]!.AsArray());
    }

    /// <summary>Okta's SCIM 2.0 SPEC test (idp-behaviors.md §1.7), step by step.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Okta_spec_test_passes(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        (await okta.PostAsync("Users", OktaUser("existing@atko.com", "Existing", "Person", "x1"))).AssertOk(201);

        // 1, 2: list one user, then get it.
        var list = (await okta.GetAsync("Users?count=1&startIndex=1")).AssertOk();
        var first = list["Resources"]![0]!.AsObject();
        foreach (var path in new[] { "id", "userName", "active" }) Assert.NotNull(first[path]);
        Assert.NotNull(first["name"]!["familyName"]);
        Assert.NotNull(first["emails"]![0]!["value"]);
        var byId = (await okta.GetAsync($"Users/{first["id"]!.GetValue<string>()}")).AssertOk();
        Assert.Equal(first["id"]!.GetValue<string>(), byId["id"]!.GetValue<string>());

        // 3, 4, 12: unknown users; ids that are not GUIDs are 404 too.
        Assert.Equal(0, (await okta.GetAsync("Users?filter=userName eq \"abcdefgh@atko.com\"")).AssertOk()["totalResults"]!.GetValue<int>());
        (await okta.GetAsync("Users/010101001010101011001010101011")).AssertError(404);
        (await okta.GetAsync("Users/00919288221112222")).AssertError(404);

        // 5-9: create a random user (sent as application/json), read it back, refuse the duplicate.
        const string random = "Runscope123Abcdefgh456@atko.com";
        (await okta.GetAsync($"Users?filter=userName eq \"{random}\"")).AssertOk();
        var body = $$"""{"schemas":["{{UserSchema}}"],"userName":"{{random}}","name":{"givenName":"Runscope123","familyName":"Abcdefgh456"},"emails":[{"primary":true,"value":"{{random}}","type":"work"}],"displayName":"Runscope123 Abcdefgh456","active":true}""";
        var created = (await okta.PostAsync("Users", body, "application/json")).AssertOk(201);
        Assert.Equal("true", created["active"]!.ToJsonString());
        Assert.Contains(UserSchema, created["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        var again = (await okta.GetAsync($"Users/{created["id"]!.GetValue<string>()}")).AssertOk();
        Assert.Equal(random, again["userName"]!.GetValue<string>());
        (await okta.PostAsync("Users", body, "application/json")).AssertError(409, "uniqueness");
        var caps = (await okta.GetAsync($"Users?filter=userName eq \"{random.ToUpperInvariant()}\"")).AssertOk();
        Assert.Equal(1, caps["totalResults"]!.GetValue<int>());

        // 11: a request without a valid token.
        using var stranger = host.Client(okta.Enterprise, "non-token");
        var denied = await ScimResponse.ReadAsync(await stranger.GetAsync($"Users?filter=userName eq \"{random}\""));
        denied.AssertError(401);
    }
}
