using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests.Conformance;

/// <summary>RFC 7644 §3.4.2.2 over HTTP, one rule a test, on both databases: the filter grammar as a
/// client writes it, answered by the database.</summary>
public sealed class Rfc7644Section3_4_2_2_FilterTests
{
    const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    static readonly string[] People =
    [
        """
            {"userName":"ann@acme.example","externalId":"A-1","title":"Lead","active":true,"name":{"givenName":"Ann","familyName":"Lee"},
             "emails":[{"value":"ann@acme.example","type":"work","primary":true},{"value":"ann@home.example","type":"home"}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"100","department":"Sales"}}
            """,
        """
            {"userName":"bob@acme.example","externalId":"a-2","active":false,"name":{"givenName":"Bob","familyName":"Stone"},
             "emails":[{"value":"bob@globex.example","type":"work"}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"200"}}
            """,
        """
            {"userName":"cleo@acme.example","title":"lead","active":true,"emails":[{"value":"cleo@acme.example","type":"home"}]}
            """,
    ];

    static async Task<ScimClient> SeedAsync(RosterTestHost host)
    {
        var client = await host.CreateEnterpriseAsync("Acme");
        foreach (var person in People)
        {
            var body = JsonNode.Parse(person)!.AsObject();
            body["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User", Enterprise);
            (await client.PostAsync("Users", body.ToJsonString())).AssertOk(201);
        }
        return client;
    }

    static async Task<string[]> FilterAsync(ScimClient client, string filter)
    {
        var list = (await client.GetAsync("Users?sortBy=userName&filter=" + Uri.EscapeDataString(filter))).AssertOk();
        Assert.Equal(list["Resources"]!.AsArray().Count, list["totalResults"]!.GetValue<int>());
        return list["Resources"]!.AsArray().Select(r => r!["userName"]!.GetValue<string>().Split('@')[0]).ToArray();
    }

    public static TheoryData<string> Kinds() => TestDatabase.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_comparison_operator(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await SeedAsync(host);
        Assert.Equal(["ann"], await FilterAsync(client, "userName eq \"ann@acme.example\""));
        Assert.Equal(["bob", "cleo"], await FilterAsync(client, "userName ne \"ann@acme.example\""));
        Assert.Equal(["ann", "bob"], await FilterAsync(client, "name.familyName co \"e\""));
        Assert.Equal(["bob"], await FilterAsync(client, "userName sw \"b\""));
        Assert.Equal(["ann", "cleo"], await FilterAsync(client, "title ew \"ead\""));
        Assert.Equal(["cleo"], await FilterAsync(client, "userName gt \"bob@acme.example\""));
        Assert.Equal(["bob", "cleo"], await FilterAsync(client, "userName ge \"bob@acme.example\""));
        Assert.Equal(["ann"], await FilterAsync(client, "userName lt \"bob@acme.example\""));
        Assert.Equal(["ann", "bob"], await FilterAsync(client, "userName le \"bob@acme.example\""));
        Assert.Equal(["ann", "cleo"], await FilterAsync(client, "title pr"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Logical_operators_precedence_and_parentheses(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await SeedAsync(host);
        // "and" binds tighter than "or": b or (title and active); read left to right it would drop bob.
        Assert.Equal(["ann", "bob", "cleo"], await FilterAsync(client, "userName sw \"b\" or title pr and active eq true"));
        Assert.Equal(["ann", "cleo"], await FilterAsync(client, "(userName sw \"b\" or title pr) and active eq true"));
        Assert.Equal(["ann"], await FilterAsync(client, "(userName sw \"a\" or userName sw \"b\") and title pr"));
        Assert.Equal(["bob"], await FilterAsync(client, "not (title pr)"));
        Assert.Equal(["ann", "bob", "cleo"], await FilterAsync(client, "NOT (userName eq \"x\") AND active pr"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Sub_attributes_complex_value_filters_and_schema_qualified_paths(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await SeedAsync(host);
        Assert.Equal(["bob"], await FilterAsync(client, "name.givenName eq \"bob\""));
        Assert.Equal(["ann"], await FilterAsync(client, "emails[type eq \"work\" and value co \"@acme.example\"]"));
        Assert.Equal(["ann", "cleo"], await FilterAsync(client, "emails[type eq \"home\"]"));
        Assert.Equal(["bob"], await FilterAsync(client, $"{Enterprise}:employeeNumber eq \"200\""));
        Assert.Equal(["ann"], await FilterAsync(client, "urn:ietf:params:scim:schemas:core:2.0:User:title eq \"Lead\" and emails.primary eq true"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task String_boolean_dateTime_and_null_comparisons(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await SeedAsync(host);
        Assert.Equal(["bob"], await FilterAsync(client, "active eq false"));
        Assert.Equal(["ann", "bob", "cleo"], await FilterAsync(client, "meta.created gt \"2000-01-01T00:00:00Z\""));
        Assert.Empty(await FilterAsync(client, "meta.lastModified lt \"2000-01-01T00:00:00+02:00\""));
        Assert.Equal(["cleo"], await FilterAsync(client, "externalId eq null"));
        Assert.Equal(["ann", "bob"], await FilterAsync(client, "externalId ne null"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Case_exactness_comes_from_the_schema(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await SeedAsync(host);
        // userName and title are not case-exact; externalId and id are.
        Assert.Equal(["ann"], await FilterAsync(client, "userName eq \"ANN@ACME.EXAMPLE\""));
        Assert.Equal(["ann", "cleo"], await FilterAsync(client, "title eq \"LEAD\""));
        Assert.Equal(["ann"], await FilterAsync(client, "externalId eq \"A-1\""));
        Assert.Empty(await FilterAsync(client, "externalId eq \"a-1\""));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_filter_that_does_not_parse_or_names_an_unknown_attribute_is_invalidFilter_saying_where(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await SeedAsync(host);
        foreach (var (filter, where) in new[]
        {
            ("userName eq", "position"),
            ("userName zz \"x\"", "position"),
            ("(userName eq \"x\"", "position"),
            ("userName eq \"x\" or", "position"),
            ("shoeSize eq \"42\"", "shoeSize"),
            ("name eq \"Ann\"", "name"),
            ("active gt true", "active"),
        })
        {
            var error = (await client.GetAsync("Users?filter=" + Uri.EscapeDataString(filter))).AssertError(400, "invalidFilter");
            Assert.Contains(where, error["detail"]!.GetValue<string>());
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Plus_and_percent_20_encodings_decode_the_same(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await SeedAsync(host);
        var plus = (await client.GetAsync("Users?filter=userName+eq+%22ann%40acme.example%22")).AssertOk();
        var percent = (await client.GetAsync("Users?filter=userName%20eq%20%22ann%40acme.example%22")).AssertOk();
        Assert.Equal(1, plus["totalResults"]!.GetValue<int>());
        Assert.Equal(plus.ToJsonString(), percent.ToJsonString());
    }
}
