using Roster.Testing;

namespace Roster.Tests;

/// <summary>Bad input gets a precise SCIM error (RFC 7644 §3.12), never a 500, and writes nothing.</summary>
public sealed class ScimErrorTests
{
    const string Valid = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example","active":true}""";

    public static TheoryData<string, string, int, string?> BadCreates => new()
    {
        { "not json", "{\"schemas\": [", 400, "invalidSyntax" },
        { "trailing garbage", Valid + "}", 400, "invalidSyntax" },
        { "an array", "[1,2]", 400, "invalidSyntax" },
        { "a string", "\"user\"", 400, "invalidSyntax" },
        { "empty", "", 400, "invalidSyntax" },
        { "no schemas", """{"userName":"ann@acme.example"}""", 400, "invalidSyntax" },
        { "wrong schema", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"userName":"ann@acme.example"}""", 400, "invalidSyntax" },
        { "no userName", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"name":{"givenName":"Ann"}}""", 400, "invalidValue" },
        { "blank userName", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"  "}""", 400, "invalidValue" },
        { "userName an object", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":{"a":1}}""", 400, "invalidValue" },
        { "active not boolean", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example","active":"maybe"}""", 400, "invalidValue" },
        { "name not an object", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example","name":"Ann"}""", 400, "invalidValue" },
        { "deeply nested", "{\"schemas\":" + new string('[', 200) + new string(']', 200) + "}", 400, "invalidSyntax" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task A_malformed_create_is_refused_with_a_scim_error_and_nothing_is_written(string why, string body, int status, string? scimType)
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var response = await okta.PostAsync("Users", body);
        var error = response.AssertError(status, scimType);
        Assert.DoesNotContain("   at ", error["detail"]!.GetValue<string>()); // no stack trace
        Assert.Equal(0, (await okta.GetAsync("Users")).AssertOk()["totalResults"]!.GetValue<int>());
        var failures = await host.Directory.Log.QueryAsync(okta.Enterprise, failedOnly: true, limit: 10);
        var logged = Assert.Single(failures);
        Assert.Equal(status, logged.HttpStatus);
        Assert.Equal("create", logged.Operation);
        Assert.False(string.IsNullOrEmpty(logged.Reason), why);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Unknown_ids_of_any_shape_are_404(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        foreach (var id in new[] { "010101001010101011001010101011", "00919288221112222", Guid.NewGuid().ToString(), "x%20y", "%E2%9C%93", "..%2F..%2Fetc" })
        {
            (await okta.GetAsync($"Users/{id}")).AssertError(404);
            (await okta.PutAsync($"Users/{id}", Valid)).AssertError(404);
            (await okta.PatchAsync($"Users/{id}", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""")).AssertError(404);
            (await okta.DeleteAsync($"Users/{id}")).AssertError(404);
        }
    }

    [Fact]
    public async Task Unsupported_content_types_methods_paths_and_paging_are_scim_errors()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var okta = await host.CreateEnterpriseAsync("Acme");
        (await okta.PostAsync("Users", Valid, "text/plain")).AssertError(415);
        var notAllowed = await okta.SendAsync(HttpMethod.Delete, "Users", null);
        notAllowed.AssertError(405);
        Assert.Contains("POST", notAllowed.Body);
        (await okta.GetAsync("Nothing")).AssertError(404);
        (await okta.GetAsync("Users/a/b")).AssertError(404);
        (await okta.GetAsync("Users?startIndex=first")).AssertError(400, "invalidValue");
        (await okta.GetAsync("Users?count=many")).AssertError(400, "invalidValue");
        // Out-of-range numbers are clamped as RFC 7644 §3.4.2.4 says, not refused.
        (await okta.GetAsync("Users?startIndex=-5&count=-1")).AssertOk();
        (await okta.GetAsync("Users?count=99999999999999999999")).AssertOk();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var huge = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example","title":""" + "\"" + new string('x', 1_100_000) + "\"}";
        (await okta.PostAsync("Users", huge)).AssertError(413);
    }
}
