using System.Text.Json.Nodes;
using Roster.Testing;

namespace Roster.Tests;

/// <summary>The whole User schema and the enterprise extension kept losslessly, Entra ID's request
/// dialect (idp-behaviors.md §2), and discovery documents that describe what is served.</summary>
public sealed class EntraAndSchemaTests
{
    const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /// <summary>A user as the Microsoft SCIM Validator creates it: every core attribute kind plus
    /// the enterprise extension, booleans as strings, and nulls for "no value".</summary>
    const string FullUser = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_00aa00aa@contoso.com","active":true,
         "displayName":"Test User","nickName":"Testy","title":"Engineer","userType":"Employee","preferredLanguage":"en-US",
         "locale":"en-US","timezone":"Europe/Berlin","profileUrl":"https://contoso.com/people/test",
         "name":{"formatted":"Ms. Test Q. User III","familyName":"User","givenName":"Test","middleName":"Q","honorificPrefix":"Ms.","honorificSuffix":"III"},
         "emails":[{"primary":true,"type":"work","value":"Test_User_11bb11bb@testuser.com"},{"type":"home","value":"test@home.example"}],
         "phoneNumbers":[{"type":"work","value":"+1 (555) 555-0100"},{"type":"mobile","value":"555.555.0101"},{"type":"fax","value":"+15555550102"}],
         "addresses":[{"type":"work","streetAddress":"1 Main St","locality":"Redmond","region":"WA","postalCode":"98052","country":"US","formatted":"1 Main St, Redmond","primary":true}],
         "roles":[{"primary":"True","display":"Admin","value":"admin","type":"WindowsAzureActiveDirectoryRole"}],
         "ims":[{"type":"xmpp","value":"test@jabber.example"}],
         "photos":[{"type":"photo","value":"https://contoso.com/photo.jpg"}],
         "entitlements":[{"value":"license-e5"}],
         "x509Certificates":[{"value":"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"}],
         "meta":{"resourceType":"User"},
         "password":"P@ssw0rd-never-kept",
         "department":null,
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","costCenter":"4130","organization":"Contoso",
            "division":"Cloud","department":"Identity","manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d","displayName":"ignored, read-only"}}}
        """;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_whole_core_schema_and_the_enterprise_extension_round_trip(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var entra = await host.CreateEnterpriseAsync("Contoso");
        var created = (await entra.PostAsync("Users", FullUser)).AssertOk(201);
        var id = created["id"]!.GetValue<string>();
        var read = (await entra.GetAsync($"Users/{id}")).AssertOk();

        var sent = JsonNode.Parse(FullUser)!.AsObject();
        foreach (var attribute in new[] { "externalId", "userName", "displayName", "nickName", "title", "userType", "preferredLanguage", "locale",
                     "timezone", "profileUrl", "name", "emails", "phoneNumbers", "addresses", "ims", "photos", "entitlements", "x509Certificates" })
        {
            Assert.True(JsonNode.DeepEquals(sent[attribute], read[attribute]), $"{attribute}: sent {sent[attribute]?.ToJsonString()}, read {read[attribute]?.ToJsonString()}");
        }
        // "True" was read as the boolean it means.
        Assert.True(read["roles"]![0]!["primary"]!.GetValue<bool>());
        Assert.Equal([.. new[] { "urn:ietf:params:scim:schemas:core:2.0:User", Enterprise }], read["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        var extension = read[Enterprise]!.AsObject();
        Assert.Equal("701984", extension["employeeNumber"]!.GetValue<string>());
        Assert.Equal("Identity", extension["department"]!.GetValue<string>());
        Assert.Equal("26118915-6090-4610-87e4-49d8ca9f808d", extension["manager"]!["value"]!.GetValue<string>());
        Assert.Null(extension["manager"]!["displayName"]); // read-only: not taken from the client
        Assert.Null(read["password"]);
        Assert.Null(read["department"]); // a core "department" does not exist; the null was "no value"
        Assert.DoesNotContain("P@ssw0rd", created.ToJsonString());
        Assert.DoesNotContain("P@ssw0rd", read.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Entra_patches_with_capitalised_ops_string_booleans_filtered_paths_and_manager_forms(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var entra = await host.CreateEnterpriseAsync("Contoso");
        var id = (await entra.PostAsync("Users", FullUser)).AssertOk(201)["id"]!.GetValue<string>();

        var replaced = (await entra.PatchAsync($"Users/{id}", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"},
              {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"},
              {"op":"Replace","path":"addresses[type eq \"work\"].streetAddress","value":"2 Side St"},
              {"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]}
            """)).AssertOk();
        Assert.Equal("updatedEmail@microsoft.com", replaced["emails"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("work", replaced["emails"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("test@home.example", replaced["emails"]![1]!["value"]!.GetValue<string>());
        Assert.Equal("updatedFamilyName", replaced["name"]!["familyName"]!.GetValue<string>());
        Assert.Equal("Kkom", replaced["name"]!["givenName"]!.GetValue<string>());
        Assert.Equal("2 Side St", replaced["addresses"]![0]!["streetAddress"]!.GetValue<string>());
        Assert.Equal("Bjfe", replaced["displayName"]!.GetValue<string>());
        Assert.Equal("Aklq", replaced[Enterprise]!["employeeNumber"]!.GetValue<string>());

        // Manager as an unqualified path with an array value, then removed by an empty value.
        var managed = (await entra.PatchAsync($"Users/{id}", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"manager","value":[{"$ref":null,"value":"boss-1"}]}]}
            """)).AssertOk();
        Assert.Equal("boss-1", managed[Enterprise]!["manager"]!["value"]!.GetValue<string>());
        var unmanaged = (await entra.PatchAsync($"Users/{id}", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":""}}]}
            """)).AssertOk();
        Assert.Null(unmanaged[Enterprise]!["manager"]);

        // Disable without the aadOptscim062020 flag: the boolean is the string "False".
        var disabled = (await entra.PatchAsync($"Users/{id}", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}
            """)).AssertOk();
        Assert.False(disabled["active"]!.GetValue<bool>());
        Assert.Equal(0, (await host.Directory.Enterprises.SummarizeAsync(entra.Enterprise)).SeatsUsed);

        // Entra's matching lookups: by userName and by externalId.
        Assert.Equal(1, (await entra.GetAsync("Users?filter=userName eq \"test_user_00aa00aa@contoso.com\"")).AssertOk()["totalResults"]!.GetValue<int>());
        Assert.Equal(1, (await entra.GetAsync("Users?filter=externalId eq \"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\"")).AssertOk()["totalResults"]!.GetValue<int>());
        // Test Connection: a random GUID matches nobody, and that is a 200.
        Assert.Equal(0, (await entra.GetAsync($"Users?filter=userName eq \"{Guid.NewGuid()}\"")).AssertOk()["totalResults"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_failed_patch_changes_nothing_and_says_which_operation_failed(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var entra = await host.CreateEnterpriseAsync("Contoso");
        var id = (await entra.PostAsync("Users", FullUser)).AssertOk(201)["id"]!.GetValue<string>();

        var error = (await entra.PatchAsync($"Users/{id}", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"replace","path":"displayName","value":"Changed"},
              {"op":"replace","path":"id","value":"mine"}]}
            """)).AssertError(400, "mutability");
        Assert.Contains("Operations[1]", error["detail"]!.GetValue<string>());
        (await entra.PatchAsync($"Users/{id}", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"userName"}]}""")).AssertError(400);
        (await entra.PatchAsync($"Users/{id}", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove"}]}""")).AssertError(400, "noTarget");
        (await entra.PatchAsync($"Users/{id}", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"jump","path":"title"}]}""")).AssertError(400);
        (await entra.PatchAsync($"Users/{id}", """{"Operations":[{"op":"replace","path":"title","value":"x"}]}""")).AssertError(400);
        (await entra.PatchAsync($"Users/{id}", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":"perhaps"}]}""")).AssertError(400, "invalidValue");

        var after = (await entra.GetAsync($"Users/{id}")).AssertOk();
        Assert.Equal("Test User", after["displayName"]!.GetValue<string>());
        Assert.True(after["active"]!.GetValue<bool>());
        Assert.Equal("W/\"1\"", after["meta"]!["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Filters_are_parsed_and_never_ignored()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var client = await host.CreateEnterpriseAsync("Contoso");
        (await client.PostAsync("Users", FullUser)).AssertOk(201);
        var error = (await client.GetAsync("Users?filter=userName eq")).AssertError(400, "invalidFilter");
        Assert.Contains("position", error["detail"]!.GetValue<string>());
        (await client.GetAsync("Users?filter=shoeSize eq \"42\"")).AssertError(400, "invalidFilter");
        (await client.GetAsync("Users?filter=")).AssertError(400, "invalidFilter");
        Assert.Equal(1, (await client.GetAsync("Users?filter=userName sw \"TEST_USER\" and active eq true")).AssertOk()["totalResults"]!.GetValue<int>());
        Assert.Equal(0, (await client.GetAsync("Users?filter=not (userName co \"contoso\")")).AssertOk()["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Attributes_and_excludedAttributes_shape_responses()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var client = await host.CreateEnterpriseAsync("Contoso");
        var id = (await client.PostAsync("Users", FullUser)).AssertOk(201)["id"]!.GetValue<string>();
        var only = (await client.GetAsync($"Users/{id}?attributes=userName,name.givenName,emails.value")).AssertOk();
        Assert.Equal(["schemas", "id", "userName", "name", "emails"], only.Select(p => p.Key).ToArray());
        Assert.Equal("""{"givenName":"Test"}""", only["name"]!.ToJsonString());
        Assert.Equal("""[{"value":"Test_User_11bb11bb@testuser.com"},{"value":"test@home.example"}]""", only["emails"]!.ToJsonString());
        var without = (await client.GetAsync($"Users?excludedAttributes=emails,id,{Enterprise}")).AssertOk()["Resources"]![0]!.AsObject();
        Assert.Null(without["emails"]);
        Assert.Null(without[Enterprise]);
        Assert.Equal(id, without["id"]!.GetValue<string>()); // returned "always"
        Assert.NotNull(without["userName"]);
    }

    [Fact]
    public async Task Discovery_describes_exactly_what_is_served()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var client = await host.CreateEnterpriseAsync("Contoso");
        var config = (await client.GetAsync("ServiceProviderConfig")).AssertOk();
        Assert.True(config["patch"]!["supported"]!.GetValue<bool>());
        Assert.True(config["filter"]!["supported"]!.GetValue<bool>());
        Assert.Equal(1000, config["filter"]!["maxResults"]!.GetValue<int>());
        Assert.True(config["bulk"]!["supported"]!.GetValue<bool>());
        Assert.False(config["changePassword"]!["supported"]!.GetValue<bool>());
        Assert.Equal("oauthbearertoken", config["authenticationSchemes"]![0]!["type"]!.GetValue<string>());

        var types = (await client.GetAsync("ResourceTypes")).AssertOk();
        Assert.Equal(["User", "Group"], types["Resources"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToArray());
        var user = types["Resources"]![0]!;
        Assert.Equal("/Users", user["endpoint"]!.GetValue<string>());
        Assert.Equal(Enterprise, user["schemaExtensions"]![0]!["schema"]!.GetValue<string>());
        (await client.GetAsync("ResourceTypes/User")).AssertOk();
        Assert.Equal("/Groups", (await client.GetAsync("ResourceTypes/Group")).AssertOk()["endpoint"]!.GetValue<string>());
        (await client.GetAsync("ResourceTypes/Team")).AssertError(404);

        var schemas = (await client.GetAsync("Schemas")).AssertOk()["Resources"]!.AsArray();
        Assert.Equal(["urn:ietf:params:scim:schemas:core:2.0:User", Enterprise, "urn:ietf:params:scim:schemas:core:2.0:Group"], schemas.Select(s => s!["id"]!.GetValue<string>()).ToArray());
        var userSchema = (await client.GetAsync("Schemas/urn:ietf:params:scim:schemas:core:2.0:User")).AssertOk();
        var attributes = userSchema["attributes"]!.AsArray();
        var userName = attributes.Single(a => a!["name"]!.GetValue<string>() == "userName")!;
        Assert.False(userName["caseExact"]!.GetValue<bool>());
        Assert.Equal("server", userName["uniqueness"]!.GetValue<string>());
        Assert.True(userName["required"]!.GetValue<bool>());
        var password = attributes.Single(a => a!["name"]!.GetValue<string>() == "password")!;
        Assert.Equal("never", password["returned"]!.GetValue<string>());
        Assert.Equal("writeOnly", password["mutability"]!.GetValue<string>());
        Assert.Equal("readOnly", attributes.Single(a => a!["name"]!.GetValue<string>() == "groups")!["mutability"]!.GetValue<string>());
    }
}
