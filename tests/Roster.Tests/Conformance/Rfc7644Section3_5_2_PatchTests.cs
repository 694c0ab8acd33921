using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests.Conformance;

/// <summary>RFC 7644 §3.5.2 over HTTP, one rule a test, on both databases: one PATCH engine.</summary>
public sealed class Rfc7644Section3_5_2_PatchTests
{
    const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    const string User = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"pat@acme.example","title":"Engineer",
         "name":{"givenName":"Pat","familyName":"Doe"},
         "emails":[{"value":"pat@acme.example","type":"work","primary":true},{"value":"pat@home.example","type":"home"}]}
        """;

    static string Patch(string operations) => $$"""{"schemas":["{{PatchOp}}"],"Operations":[{{operations}}]}""";

    static async Task<(ScimClient Client, string Id)> SeedAsync(RosterTestHost host)
    {
        var client = await host.CreateEnterpriseAsync("Acme");
        var id = (await client.PostAsync("Users", User)).AssertOk(201)["id"]!.GetValue<string>();
        return (client, id);
    }

    public static TheoryData<string> Kinds() => TestDatabase.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Section_3_5_2_1_add_with_and_without_path(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var (client, id) = await SeedAsync(host);
        var user = (await client.PatchAsync($"Users/{id}", Patch("""
            {"op":"add","path":"emails","value":[{"value":"pat@other.example","type":"other"}]},
            {"op":"add","path":"nickName","value":"P"},
            {"op":"add","value":{"locale":"en-GB","name.middleName":"Q"}}
            """))).AssertOk();
        Assert.Equal(3, user["emails"]!.AsArray().Count);
        Assert.Equal("P", user["nickName"]!.GetValue<string>());
        Assert.Equal("en-GB", user["locale"]!.GetValue<string>());
        Assert.Equal("Q", user["name"]!["middleName"]!.GetValue<string>());
        Assert.Equal("Pat", user["name"]!["givenName"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Section_3_5_2_2_remove_by_path_and_by_value_filter(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var (client, id) = await SeedAsync(host);
        var user = (await client.PatchAsync($"Users/{id}", Patch("""
            {"op":"remove","path":"title"},
            {"op":"remove","path":"emails[type eq \"home\"]"},
            {"op":"remove","path":"name.familyName"}
            """))).AssertOk();
        Assert.Null(user["title"]);
        Assert.Equal("pat@acme.example", Assert.Single(user["emails"]!.AsArray())!["value"]!.GetValue<string>());
        Assert.Null(user["name"]!["familyName"]);
        (await client.PatchAsync($"Users/{id}", Patch("""{"op":"remove"}"""))).AssertError(400, "noTarget");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Section_3_5_2_3_replace_with_value_paths_and_sub_attributes(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var (client, id) = await SeedAsync(host);
        var user = (await client.PatchAsync($"Users/{id}", Patch("""
            {"op":"replace","path":"emails[type eq \"work\"].value","value":"pat@new.example"},
            {"op":"replace","path":"name","value":{"familyName":"Roe"}},
            {"op":"replace","value":{"title":"Lead"}}
            """))).AssertOk();
        Assert.Equal("pat@new.example", user["emails"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("work", user["emails"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("Roe", user["name"]!["familyName"]!.GetValue<string>());
        Assert.Equal("Pat", user["name"]!["givenName"]!.GetValue<string>()); // sub-attributes not named are kept
        Assert.Equal("Lead", user["title"]!.GetValue<string>());
        // The new value is found by the database.
        Assert.Equal(1, (await client.GetAsync("Users?filter=" + Uri.EscapeDataString("emails.value eq \"pat@new.example\""))).AssertOk()["totalResults"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task RFC_7643_section_2_4_primary_stays_unique(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var (client, id) = await SeedAsync(host);
        var user = (await client.PatchAsync($"Users/{id}", Patch("""
            {"op":"replace","path":"emails[type eq \"home\"].primary","value":true}
            """))).AssertOk();
        var emails = user["emails"]!.AsArray();
        Assert.Single(emails, e => e!["primary"]?.GetValue<bool>() == true);
        Assert.True(emails.Single(e => e!["type"]!.GetValue<string>() == "home")!["primary"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task All_operations_apply_or_none(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var (client, id) = await SeedAsync(host);
        (await client.PatchAsync($"Users/{id}", Patch("""
            {"op":"replace","path":"title","value":"Changed"},
            {"op":"add","path":"emails[type eq \"work\" and value co \"zzz\"].display","value":"y"}
            """))).AssertError(400, "noTarget");
        var user = (await client.GetAsync($"Users/{id}")).AssertOk();
        Assert.Equal("Engineer", user["title"]!.GetValue<string>());
        Assert.Equal("W/\"1\"", user["meta"]!["version"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Mutability_invalidPath_and_invalidValue(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var (client, id) = await SeedAsync(host);
        (await client.PatchAsync($"Users/{id}", Patch("""{"op":"replace","path":"id","value":"mine"}"""))).AssertError(400, "mutability");
        (await client.PatchAsync($"Users/{id}", Patch("""{"op":"replace","path":"meta.created","value":"2000-01-01T00:00:00Z"}"""))).AssertError(400, "mutability");
        (await client.PatchAsync($"Users/{id}", Patch("""{"op":"add","path":"groups","value":[{"value":"g"}]}"""))).AssertError(400, "mutability");
        (await client.PatchAsync($"Users/{id}", Patch("""{"op":"replace","path":"shoeSize","value":"42"}"""))).AssertError(400, "invalidPath");
        (await client.PatchAsync($"Users/{id}", Patch("""{"op":"replace","path":"emails[type eq","value":"x"}"""))).AssertError(400, "invalidPath");
        (await client.PatchAsync($"Users/{id}", Patch("""{"op":"replace","path":"active","value":"sometimes"}"""))).AssertError(400, "invalidValue");
        (await client.PatchAsync($"Users/{id}", Patch("""{"op":"replace","path":"name","value":"Pat Doe"}"""))).AssertError(400, "invalidValue");
        Assert.Equal("W/\"1\"", (await client.GetAsync($"Users/{id}")).AssertOk()["meta"]!["version"]!.GetValue<string>());
    }
}
