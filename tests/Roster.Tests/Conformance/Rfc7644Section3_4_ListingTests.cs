using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests.Conformance;

/// <summary>RFC 7644 §3.4.2 and §3.4.3 over HTTP: filtering, sorting, paging and projection, by GET
/// and by POST .search, with the same answers.</summary>
public sealed class Rfc7644Section3_4_ListingTests
{
    const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    static string User(string userName, string familyName, string? employeeNumber, bool active = true) => $$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","{{Enterprise}}"],"userName":"{{userName}}","active":{{(active ? "true" : "false")}},
         "name":{"familyName":"{{familyName}}"},"emails":[{"value":"{{userName}}","type":"work","primary":true}]
         {{(employeeNumber is null ? "" : $",\"{Enterprise}\":{{\"employeeNumber\":\"{employeeNumber}\"}}")}}}
        """;

    static async Task<ScimClient> SeedAsync(RosterTestHost host)
    {
        var client = await host.CreateEnterpriseAsync("Acme");
        (await client.PostAsync("Users", User("carol@acme.example", "Young", "3"))).AssertOk(201);
        (await client.PostAsync("Users", User("alice@acme.example", "Zimmer", "1", active: false))).AssertOk(201);
        (await client.PostAsync("Users", User("bob@acme.example", "Xu", null))).AssertOk(201);
        return client;
    }

    static string[] UserNames(JsonObject list) =>
        list["Resources"]!.AsArray().Select(r => r!["userName"]!.GetValue<string>().Split('@')[0]).ToArray();

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_3_4_2_3_sortBy_and_sortOrder(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await SeedAsync(host);
        Assert.Equal(["carol", "alice", "bob"], UserNames((await client.GetAsync("Users")).AssertOk())); // default: creation order
        Assert.Equal(["alice", "bob", "carol"], UserNames((await client.GetAsync("Users?sortBy=userName")).AssertOk()));
        Assert.Equal(["carol", "bob", "alice"], UserNames((await client.GetAsync("Users?sortBy=userName&sortOrder=descending")).AssertOk()));
        Assert.Equal(["bob", "carol", "alice"], UserNames((await client.GetAsync("Users?sortBy=name.familyName")).AssertOk()));
        Assert.Equal(["alice", "carol", "bob"], UserNames((await client.GetAsync($"Users?sortBy={Enterprise}:employeeNumber")).AssertOk()));
        Assert.Equal(["alice", "bob"], UserNames((await client.GetAsync("Users?sortBy=userName&startIndex=1&count=2")).AssertOk()));
        Assert.Equal(["carol"], UserNames((await client.GetAsync("Users?sortBy=userName&startIndex=3&count=2")).AssertOk()));
        (await client.GetAsync("Users?sortBy=emails.value")).AssertError(400, "invalidValue");
        (await client.GetAsync("Users?sortBy=shoeSize")).AssertError(400, "invalidValue");
        (await client.GetAsync("Users?sortBy=userName&sortOrder=sideways")).AssertError(400, "invalidValue");
        Assert.True((await client.GetAsync("ServiceProviderConfig")).AssertOk()["sort"]!["supported"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_3_4_2_2_filters_reach_every_attribute(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await SeedAsync(host);
        async Task<string[]> Filter(string filter) =>
            UserNames((await client.GetAsync("Users?sortBy=userName&filter=" + Uri.EscapeDataString(filter))).AssertOk());

        Assert.Equal(["alice", "carol"], await Filter($"{Enterprise}:employeeNumber pr"));
        Assert.Equal(["bob"], await Filter("name.familyName eq \"XU\""));
        Assert.Equal(["bob", "carol"], await Filter("emails[type eq \"work\" and value ew \"acme.example\"] and active eq true"));
        Assert.Equal(["alice"], await Filter("not (active eq true)"));
        Assert.Equal(["alice", "bob"], await Filter("emails.value sw \"a\" or name.familyName sw \"x\""));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_3_4_3_search_by_POST_answers_as_GET_does(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await SeedAsync(host);
        var search = """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
             "attributes":["userName","name.familyName"],"filter":"userName ew \"acme.example\" and active eq true",
             "sortBy":"userName","sortOrder":"descending","startIndex":1,"count":10}
            """;
        var byPost = (await client.PostAsync("Users/.search", search)).AssertOk();
        var byGet = (await client.GetAsync("Users?attributes=userName,name.familyName&sortBy=userName&sortOrder=descending&startIndex=1&count=10&filter="
            + Uri.EscapeDataString("userName ew \"acme.example\" and active eq true"))).AssertOk();
        Assert.Equal(byGet.ToJsonString(), byPost.ToJsonString());
        Assert.Equal(["carol", "bob"], UserNames(byPost));
        Assert.Equal(["schemas", "id", "userName", "name"], byPost["Resources"]![0]!.AsObject().Select(p => p.Key).ToArray());

        (await client.PostAsync("Users/.search", """{"filter":"userName pr"}""")).AssertError(400, "invalidSyntax");
        (await client.PostAsync("Users/.search", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName zz 1"}""")).AssertError(400, "invalidFilter");
        (await client.PostAsync("Users/.search", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":"ten"}""")).AssertError(400, "invalidValue");
        (await client.GetAsync("Users/.search")).AssertError(405);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_3_4_3_the_root_search_lists_users_then_groups(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await SeedAsync(host); // carol, alice, bob
        foreach (var name in new[] { "Alpha Team", "Beta Team" })
            (await client.PostAsync("Groups", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"{{name}}"}""")).AssertOk(201);

        static string Search(string extra) =>
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]{{extra}}}""";
        static string[] Names(JsonObject list) => list["Resources"]!.AsArray()
            .Select(r => r!["userName"]?.GetValue<string>().Split('@')[0] ?? r!["displayName"]!.GetValue<string>()).ToArray();

        var all = (await client.PostAsync(".search", Search(""))).AssertOk();
        Assert.Equal(5, all["totalResults"]!.GetValue<int>());
        Assert.Equal(["carol", "alice", "bob", "Alpha Team", "Beta Team"], Names(all));
        Assert.Equal("Group", all["Resources"]![4]!["meta"]!["resourceType"]!.GetValue<string>());

        // A page across the boundary between the types.
        var page = (await client.PostAsync(".search", Search(""","startIndex":3,"count":2"""))).AssertOk();
        Assert.Equal(["bob", "Alpha Team"], Names(page));
        Assert.Equal(3, page["startIndex"]!.GetValue<int>());

        // What only Users have finds no Group; what only Groups have finds no User; displayName both.
        static string Filter(string filter) => new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:SearchRequest"),
            ["filter"] = filter,
        }.ToJsonString();
        Assert.Equal(["alice"], Names((await client.PostAsync(".search", Filter("userName sw \"a\""))).AssertOk()));
        Assert.Equal(["Beta Team"], Names((await client.PostAsync(".search", Filter("displayName sw \"beta\""))).AssertOk()));
        (await client.PostAsync(".search", Filter("shoeSize eq \"42\""))).AssertError(400, "invalidFilter");
        (await client.PostAsync(".search", Filter("userName eq"))).AssertError(400, "invalidFilter");
        var sorted = new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:SearchRequest"), ["sortBy"] = "userName" };
        (await client.PostAsync(".search", sorted.ToJsonString())).AssertError(400, "invalidValue");
        (await client.GetAsync(".search")).AssertError(405);
    }
}
