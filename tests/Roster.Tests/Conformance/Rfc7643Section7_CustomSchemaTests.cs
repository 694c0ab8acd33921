using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests.Conformance;

/// <summary>
/// RFC 7643 §7 (schema definitions) and §6 (resource types), for the extension schemas an enterprise
/// declares with `roster schema add`: served in /Schemas and /ResourceTypes so that an IdP's schema
/// discovery (Okta's "Import user schema") finds them, validated on write, returned, filterable,
/// sortable and PATCHable by URN path, and seen by no other enterprise.
/// </summary>
public sealed class Rfc7643Section7_CustomSchemaTests
{
    const string Acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
    const string User = "urn:ietf:params:scim:schemas:core:2.0:User";
    const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    const string AcmeSchema = """
        {
          "id": "urn:ietf:params:scim:schemas:extension:acme:2.0:User",
          "name": "AcmeUser",
          "description": "Acme's own attributes of its people",
          "attributes": [
            {"name": "costCenter", "type": "string", "multiValued": false, "description": "Finance's cost center",
             "required": false, "caseExact": false, "mutability": "readWrite", "returned": "default", "uniqueness": "none"},
            {"name": "badgeNumber", "type": "integer", "description": "The number on the badge"}
          ]
        }
        """;

    static string NewUser(string userName, string acme) => $$"""
        {"schemas":["{{User}}","{{Acme}}"],"userName":"{{userName}}","{{Acme}}":{{acme}}}
        """;

    static string[] UserNames(JsonObject list) =>
        list["Resources"]!.AsArray().Select(r => r!["userName"]!.GetValue<string>().Split('@')[0]).ToArray();

    /// <summary>Declares the schema for an enterprise with the command line, as an admin would, while the server runs.</summary>
    static async Task<JsonObject> DeclareAsync(RosterTestHost host, string slug, string schema = AcmeSchema)
    {
        var file = Path.Combine(Path.GetTempPath(), $"roster-schema-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, schema);
        try
        {
            var added = await CliRunner.RunAsync(host.StoreArguments, "schema", "add", "--enterprise", slug, "--file", file);
            Assert.True(added.ExitCode == 0, added.Error);
            return added.Json.AsObject();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_7_a_declared_schema_is_discovered_validated_returned_filtered_sorted_and_patched(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var globex = await host.CreateEnterpriseAsync("Globex");
        // Before: the server knows nothing of it.
        (await okta.GetAsync($"Schemas/{Acme}")).AssertError(404);

        // Declared with the command line: printed as /Schemas shows it.
        var printed = await DeclareAsync(host, "acme");
        Assert.Equal(Acme, printed["id"]!.GetValue<string>());
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:Schema", printed["schemas"]![0]!.GetValue<string>());
        Assert.Equal($"/scim/v2/acme/Schemas/{Acme}", printed["meta"]!["location"]!.GetValue<string>());

        // §7 and §6: the next request discovers it.
        var schemas = (await okta.GetAsync("Schemas")).AssertOk()["Resources"]!.AsArray();
        Assert.Equal([User, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", Acme, "urn:ietf:params:scim:schemas:core:2.0:Group"], schemas.Select(s => s!["id"]!.GetValue<string>()).ToArray());
        var served = (await okta.GetAsync($"Schemas/{Acme}")).AssertOk();
        Assert.Equal("AcmeUser", served["name"]!.GetValue<string>());
        Assert.EndsWith($"/scim/v2/acme/Schemas/{Acme}", served["meta"]!["location"]!.GetValue<string>());
        var attributes = served["attributes"]!.AsArray();
        Assert.Equal(["costCenter", "badgeNumber"], attributes.Select(a => a!["name"]!.GetValue<string>()).ToArray());
        Assert.Equal("string", attributes[0]!["type"]!.GetValue<string>());
        Assert.False(attributes[0]!["caseExact"]!.GetValue<bool>());
        Assert.Equal("readWrite", attributes[0]!["mutability"]!.GetValue<string>());
        Assert.Equal("integer", attributes[1]!["type"]!.GetValue<string>());
        Assert.Equal("Finance's cost center", attributes[0]!["description"]!.GetValue<string>());
        printed.Remove("meta");
        served.Remove("meta");
        Assert.True(JsonNode.DeepEquals(printed, served), $"CLI {printed.ToJsonString()} vs /Schemas {served.ToJsonString()}");

        var userType = (await okta.GetAsync("ResourceTypes/User")).AssertOk();
        var extensions = userType["schemaExtensions"]!.AsArray();
        Assert.Equal(2, extensions.Count);
        Assert.Equal(Acme, extensions[1]!["schema"]!.GetValue<string>());
        Assert.False(extensions[1]!["required"]!.GetValue<bool>());

        // Written and returned.
        var created = (await okta.PostAsync("Users", NewUser("ann@acme.example", """{"costCenter":"4130","badgeNumber":12}"""))).AssertOk(201);
        var annId = created["id"]!.GetValue<string>();
        Assert.Contains(Acme, created["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        var ann = (await okta.GetAsync($"Users/{annId}")).AssertOk();
        Assert.Equal("4130", ann[Acme]!["costCenter"]!.GetValue<string>());
        Assert.Equal(12, ann[Acme]!["badgeNumber"]!.GetValue<int>());
        Assert.Contains(Acme, ann["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        (await okta.PostAsync("Users", NewUser("bob@acme.example", """{"costCenter":"Ops-7","badgeNumber":3}"""))).AssertOk(201);
        (await okta.PostAsync("Users", NewUser("cy@acme.example", """{"costCenter":"4131"}"""))).AssertOk(201);
        var excluded = (await okta.GetAsync($"Users/{annId}?excludedAttributes={Acme}:costCenter")).AssertOk();
        Assert.Null(excluded[Acme]!["costCenter"]);
        Assert.Equal(12, excluded[Acme]!["badgeNumber"]!.GetValue<int>());

        // Filtered, through the search document: without regard to case, as costCenter is not caseExact.
        async Task<string[]> Filter(string filter) =>
            UserNames((await okta.GetAsync("Users?sortBy=userName&filter=" + Uri.EscapeDataString(filter))).AssertOk());
        Assert.Equal(["ann"], await Filter($"{Acme}:costCenter eq \"4130\""));
        Assert.Equal(["bob"], await Filter($"{Acme}:costCenter eq \"OPS-7\""));
        Assert.Equal(["ann", "cy"], await Filter($"{Acme}:costCenter sw \"413\""));
        Assert.Equal(["ann"], await Filter($"{Acme}:badgeNumber gt 5"));
        Assert.Equal(["cy"], await Filter($"not ({Acme}:badgeNumber pr)"));
        var searched = (await okta.PostAsync("Users/.search", $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"{{Acme}}:costCenter eq \"4131\""}
            """)).AssertOk();
        Assert.Equal(["cy"], UserNames(searched));

        // Sorted: numbers as numbers, absent values last.
        Assert.Equal(["bob", "ann", "cy"], UserNames((await okta.GetAsync($"Users?sortBy={Acme}:badgeNumber")).AssertOk()));
        Assert.Equal(["ann", "bob", "cy"], UserNames((await okta.GetAsync($"Users?sortBy={Acme}:badgeNumber&sortOrder=descending")).AssertOk()));
        Assert.Equal(["ann", "cy", "bob"], UserNames((await okta.GetAsync($"Users?sortBy={Acme}:costCenter")).AssertOk()));

        // PATCHed by URN path, with and without a path.
        var patched = (await okta.PatchAsync($"Users/{annId}", $$"""
            {"schemas":["{{PatchOp}}"],"Operations":[{"op":"replace","path":"{{Acme}}:costCenter","value":"5000"}]}
            """)).AssertOk();
        Assert.Equal("5000", patched[Acme]!["costCenter"]!.GetValue<string>());
        Assert.Equal(12, patched[Acme]!["badgeNumber"]!.GetValue<int>());
        (await okta.PatchAsync($"Users/{annId}", $$$"""
            {"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"replace","value":{"{{{Acme}}}:badgeNumber":14}}]}
            """)).AssertOk();
        Assert.Equal(["ann"], await Filter($"{Acme}:costCenter eq \"5000\" and {Acme}:badgeNumber eq 14"));
        Assert.Empty(await Filter($"{Acme}:costCenter eq \"4130\""));

        // A value of the wrong type is a 400 invalidValue that names the attribute, on every write.
        var wrongPost = (await okta.PostAsync("Users", NewUser("dee@acme.example", """{"badgeNumber":"twelve"}"""))).AssertError(400, "invalidValue");
        Assert.Contains($"{Acme}:badgeNumber", wrongPost["detail"]!.GetValue<string>());
        var wrongPatch = (await okta.PatchAsync($"Users/{annId}", $$$"""
            {"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"add","path":"{{{Acme}}}:costCenter","value":{"code":"x"}}]}
            """)).AssertError(400, "invalidValue");
        Assert.Contains($"{Acme}:costCenter", wrongPatch["detail"]!.GetValue<string>());
        (await okta.PutAsync($"Users/{annId}", NewUser("ann@acme.example", """{"badgeNumber":true}"""))).AssertError(400, "invalidValue");
        (await okta.GetAsync($"Users?filter={Uri.EscapeDataString($"{Acme}:badgeNumber eq \"twelve\"")}")).AssertError(400, "invalidFilter");
        Assert.Equal(14, (await okta.GetAsync($"Users/{annId}")).AssertOk()[Acme]!["badgeNumber"]!.GetValue<int>());

        // Bulk writes by the same type.
        var bulk = (await okta.PostAsync("Bulk", $$"""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
              {"method":"POST","path":"/Users","bulkId":"eve","data":{{NewUser("eve@acme.example", """{"costCenter":"9","badgeNumber":1}""")}}},
              {"method":"POST","path":"/Users","bulkId":"fay","data":{{NewUser("fay@acme.example", """{"badgeNumber":"one"}""")}}}]}
            """)).AssertOk();
        Assert.Equal(["201", "400"], bulk["Operations"]!.AsArray().Select(o => o!["status"]!.GetValue<string>()).ToArray());
        Assert.Equal(["eve"], await Filter($"{Acme}:costCenter eq \"9\""));

        // Another enterprise has none of it: not in discovery, its values ignored as any undeclared extension, not filterable.
        var globexSchemas = (await globex.GetAsync("Schemas")).AssertOk()["Resources"]!.AsArray();
        Assert.DoesNotContain(Acme, globexSchemas.Select(s => s!["id"]!.GetValue<string>()));
        (await globex.GetAsync($"Schemas/{Acme}")).AssertError(404);
        Assert.Single((await globex.GetAsync("ResourceTypes/User")).AssertOk()["schemaExtensions"]!.AsArray());
        var elsewhere = (await globex.PostAsync("Users", NewUser("ann@globex.example", """{"costCenter":"4130"}"""))).AssertOk(201);
        Assert.Null(elsewhere[Acme]);
        Assert.DoesNotContain(Acme, elsewhere["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        (await globex.GetAsync($"Users?filter={Uri.EscapeDataString($"{Acme}:costCenter eq \"4130\"")}")).AssertError(400, "invalidFilter");
    }

    /// <summary>§7's mutability and returned, as declared: immutable values are set once (RFC 7644
    /// §3.5.1 for PUT, §3.5.2 for PATCH); never-returned ones are kept but not shown; request-only ones
    /// shown when asked for; always-returned ones shown whatever is asked.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_7_declared_mutability_and_returned_hold_for_every_operation(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        await DeclareAsync(host, "acme", $$"""
            {"id":"{{Acme}}","attributes":[
              {"name":"hiredOn","type":"dateTime","mutability":"immutable"},
              {"name":"pin","caseExact":true,"returned":"never"},
              {"name":"salaryBand","returned":"request"},
              {"name":"site","returned":"always"}]}
            """);
        var created = (await okta.PostAsync("Users", NewUser("ann@acme.example",
            """{"hiredOn":"2020-02-01T00:00:00Z","pin":"X123","salaryBand":"B","site":"Oslo"}"""))).AssertOk(201);
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("""{"hiredOn":"2020-02-01T00:00:00Z","site":"Oslo"}""", created[Acme]!.ToJsonString());

        Assert.Equal("B", (await okta.GetAsync($"Users/{id}?attributes={Acme}:salaryBand")).AssertOk()[Acme]!["salaryBand"]!.GetValue<string>());
        var onlyUserName = (await okta.GetAsync($"Users/{id}?attributes=userName")).AssertOk();
        Assert.Equal("""{"site":"Oslo"}""", onlyUserName[Acme]!.ToJsonString());
        Assert.Equal("Oslo", (await okta.GetAsync($"Users/{id}?excludedAttributes={Acme}")).AssertOk()[Acme]!["site"]!.GetValue<string>());
        var listed = (await okta.GetAsync($"Users?filter={Uri.EscapeDataString($"{Acme}:pin eq \"X123\"")}")).AssertOk();
        Assert.Equal(1, listed["totalResults"]!.GetValue<int>());
        Assert.Null(listed["Resources"]![0]![Acme]!["pin"]);

        // PUT that leaves the immutable value out keeps it; one that changes it is refused; so is PATCH.
        var replaced = (await okta.PutAsync($"Users/{id}", NewUser("ann@acme.example", """{"site":"Bergen"}"""))).AssertOk();
        Assert.Equal("2020-02-01T00:00:00Z", replaced[Acme]!["hiredOn"]!.GetValue<string>());
        Assert.Equal("Bergen", replaced[Acme]!["site"]!.GetValue<string>());
        (await okta.PutAsync($"Users/{id}", NewUser("ann@acme.example", """{"hiredOn":"2021-01-01T00:00:00Z"}"""))).AssertError(400, "mutability");
        (await okta.PatchAsync($"Users/{id}", $$"""
            {"schemas":["{{PatchOp}}"],"Operations":[{"op":"replace","path":"{{Acme}}:hiredOn","value":"2021-01-01T00:00:00Z"}]}
            """)).AssertError(400, "mutability");
        Assert.Equal("2020-02-01T00:00:00Z", (await okta.GetAsync($"Users/{id}")).AssertOk()[Acme]!["hiredOn"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Section_7_removing_a_schema_with_values_takes_force_and_then_it_is_gone(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        await DeclareAsync(host, "acme");
        var id = (await okta.PostAsync("Users", NewUser("ann@acme.example", """{"costCenter":"4130"}"""))).AssertOk(201)["id"]!.GetValue<string>();

        var listed = await CliRunner.RunAsync(host.StoreArguments, "schema", "list", "--enterprise", "acme");
        Assert.Equal(0, listed.ExitCode);
        Assert.Equal(Acme, Assert.Single(listed.Json.AsArray())!["id"]!.GetValue<string>());

        var refused = (await CliRunner.RunAsync(host.StoreArguments, "schema", "remove", "--enterprise", "acme", Acme)).AssertFailed();
        Assert.Contains("1 member of 'acme' carries values", refused);
        Assert.Contains("--force", refused);
        Assert.Equal("4130", (await okta.GetAsync($"Users/{id}")).AssertOk()[Acme]!["costCenter"]!.GetValue<string>());

        var removed = await CliRunner.RunAsync(host.StoreArguments, "schema", "remove", "--enterprise", "acme", Acme, "--force");
        Assert.True(removed.ExitCode == 0, removed.Error);
        Assert.Equal(Acme, removed.Json["id"]!.GetValue<string>());
        Assert.Empty((await CliRunner.RunAsync(host.StoreArguments, "schema", "list", "--enterprise", "acme")).Json.AsArray());

        // The next request no longer knows it, and the member no longer carries it.
        (await okta.GetAsync($"Schemas/{Acme}")).AssertError(404);
        Assert.Single((await okta.GetAsync("ResourceTypes/User")).AssertOk()["schemaExtensions"]!.AsArray());
        var ann = (await okta.GetAsync($"Users/{id}")).AssertOk();
        Assert.Null(ann[Acme]);
        Assert.Equal("W/\"2\"", ann["meta"]!["version"]!.GetValue<string>());

        // Declared again, it starts empty; and a schema nobody uses goes without --force.
        await DeclareAsync(host, "acme");
        Assert.Null((await okta.GetAsync($"Users/{id}")).AssertOk()[Acme]);
        var unused = await CliRunner.RunAsync(host.StoreArguments, "schema", "remove", "--enterprise", "acme", Acme);
        Assert.True(unused.ExitCode == 0, unused.Error);
    }
}
