using System.Net.Http.Headers;
using Roster.Testing;

namespace Roster.Tests.Conformance;

/// <summary>RFC 7644 §3.14: versioning with weak entity tags, If-Match and If-None-Match.</summary>
public sealed class Rfc7644Section3_14_EtagTests
{
    const string User = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"etag@acme.example","title":"One"}""";
    const string Deactivate = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""";

    static async Task<ScimResponse> SendAsync(ScimClient client, HttpMethod method, string path, string? body, string header, string value)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, ScimClient.ScimJson);
        request.Headers.TryAddWithoutValidation(header, value);
        using var response = await client.Http.SendAsync(request);
        return await ScimResponse.ReadAsync(response);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Every_resource_carries_its_version_and_a_weak_ETag_header(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var created = await client.PostAsync("Users", User);
        Assert.Equal("W/\"1\"", created.Headers.ETag!.ToString());
        Assert.Equal(created.Headers.ETag.ToString(), created.Json["meta"]!["version"]!.GetValue<string>());
        var id = created.Json["id"]!.GetValue<string>();
        var patched = await client.PatchAsync($"Users/{id}", Deactivate);
        Assert.Equal("W/\"2\"", patched.Headers.ETag!.ToString());
        // A change that changes nothing keeps the version.
        var same = await client.PatchAsync($"Users/{id}", Deactivate);
        Assert.Equal("W/\"2\"", same.Headers.ETag!.ToString());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task If_Match_with_another_version_is_412_and_changes_nothing(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var id = (await client.PostAsync("Users", User)).AssertOk(201)["id"]!.GetValue<string>();

        (await SendAsync(client, HttpMethod.Patch, $"Users/{id}", Deactivate, "If-Match", "W/\"7\"")).AssertError(412);
        (await SendAsync(client, HttpMethod.Put, $"Users/{id}", User.Replace("One", "Two"), "If-Match", "\"7\"")).AssertError(412);
        (await SendAsync(client, HttpMethod.Delete, $"Users/{id}", null, "If-Match", "W/\"2\", W/\"3\"")).AssertError(412);
        var unchanged = (await client.GetAsync($"Users/{id}")).AssertOk();
        Assert.True(unchanged["active"]!.GetValue<bool>());
        Assert.Equal("One", unchanged["title"]!.GetValue<string>());
        Assert.Equal("W/\"1\"", unchanged["meta"]!["version"]!.GetValue<string>());

        // The current version (weak or strong form, or *) lets the change through.
        (await SendAsync(client, HttpMethod.Patch, $"Users/{id}", Deactivate, "If-Match", "W/\"1\"")).AssertOk();
        (await SendAsync(client, HttpMethod.Put, $"Users/{id}", User.Replace("One", "Two"), "If-Match", "\"2\"")).AssertOk();
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Delete, $"Users/{id}", null, "If-Match", "*")).Status);
        var failures = await host.Directory.Log.QueryAsync(client.Enterprise, failedOnly: true, limit: 10);
        Assert.Equal(3, failures.Count(f => f.HttpStatus == 412));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task If_None_Match_with_the_current_version_is_304_without_a_body(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var id = (await client.PostAsync("Users", User)).AssertOk(201)["id"]!.GetValue<string>();
        var notModified = await SendAsync(client, HttpMethod.Get, $"Users/{id}", null, "If-None-Match", "W/\"1\"");
        Assert.Equal(304, notModified.Status);
        Assert.Equal("", notModified.Body);
        Assert.Equal("W/\"1\"", notModified.Headers.ETag!.ToString());
        var modified = await SendAsync(client, HttpMethod.Get, $"Users/{id}", null, "If-None-Match", "W/\"0\"");
        Assert.Equal(200, modified.Status);
        Assert.True((await client.GetAsync("ServiceProviderConfig")).AssertOk()["etag"]!["supported"]!.GetValue<bool>());
    }
}
