using Roster.Testing;

namespace Roster.Tests.Hostile;

/// <summary>
/// One person, one member, however their name is typed: userNames (and group names) that differ
/// only by case or by Unicode normalization form (é as U+00E9, or e + U+0301 as a Mac types it) are
/// the same; text no SCIM value may hold (NUL, invalid UTF-8, unpaired surrogates) is refused with a
/// 400 wherever it comes: a JSON string, a filter, a URL.
/// </summary>
public sealed class UnicodeIdentityTests
{
    const string Composed = "jos\u00e9@acme.example";
    const string Decomposed = "JOSE\u0301@acme.example";

    static string User(string userName) =>
        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","emails":[{"value":"{{userName}}","primary":true}]}""";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task UserNames_that_differ_only_by_case_or_normalization_form_are_one_member(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");

        var id = (await client.PostAsync("Users", User(Composed))).AssertOk(201)["id"]!.GetValue<string>();
        var conflict = (await client.PostAsync("Users", User(Decomposed))).AssertError(409, "uniqueness");
        Assert.Contains("JOSE", conflict["detail"]!.GetValue<string>());
        (await client.PostAsync("Users", User("Jos\u00c9@ACME.EXAMPLE"))).AssertError(409, "uniqueness");

        foreach (var spelling in new[] { Composed, Decomposed, "jose\u0301@acme.example", "JOS\u00c9@acme.example" })
        {
            var found = (await client.GetAsync("Users?filter=" + Uri.EscapeDataString($"userName eq \"{spelling}\""))).AssertOk();
            Assert.True(found["totalResults"]!.GetValue<int>() == 1, $"userName eq \"{spelling}\" found {found["totalResults"]}");
            Assert.Equal(id, found["Resources"]![0]!["id"]!.GetValue<string>());
            var byEmail = (await client.GetAsync("Users?filter=" + Uri.EscapeDataString($"emails.value eq \"{spelling}\""))).AssertOk();
            Assert.Equal(1, byEmail["totalResults"]!.GetValue<int>());
        }
        // The userName is kept as it was sent; only the comparison folds it.
        Assert.Equal(Composed, (await client.GetAsync($"Users/{id}")).AssertOk()["userName"]!.GetValue<string>());
        // A different letter is a different person.
        (await client.PostAsync("Users", User("jose@acme.example"))).AssertOk(201);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Group_names_that_differ_only_by_normalization_form_are_one_group(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        (await client.PostAsync("Groups", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"R\u00e9seau"}""")).AssertOk(201);
        (await client.PostAsync("Groups", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"RE\u0301SEAU"}""")).AssertError(409, "uniqueness");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Nul_invalid_utf8_and_unpaired_surrogates_are_refused_wherever_they_come(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var client = await host.CreateEnterpriseAsync("Acme");
        var id = (await client.PostAsync("Users", User("ann@acme.example"))).AssertOk(201)["id"]!.GetValue<string>();

        async Task<ScimResponse> Raw(string method, string target, byte[]? body = null) =>
            await HostileSender.SendAsync(client, new HostileRequest(0, "unicode", method, target, body, body is null ? null : ScimClient.ScimJson, Expectation.Refused));
        static byte[] Bytes(params object[] parts) => parts.SelectMany(p => p is string s ? System.Text.Encoding.UTF8.GetBytes(s) : (byte[])p).ToArray();

        // In a JSON string: NUL (PostgreSQL text cannot hold it), an unpaired surrogate, invalid UTF-8.
        (await client.PostAsync("Users", User("nul\\u0000@acme.example"))).AssertError(400, "invalidValue");
        (await client.PostAsync("Users", User("half\\ud800@acme.example"))).AssertError(400, "invalidSyntax");
        (await Raw("POST", "Users", Bytes("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bad""", new byte[] { 0xC3, 0x28 }, "\"}")))
            .AssertError(400, "invalidSyntax");
        (await client.PatchAsync($"Users/{id}", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"a\u0000b"}]}"""))
            .AssertError(400, "invalidValue");
        // A raw NUL byte in a broken body: refused, and the failure is in the provisioning log (whose
        // copy of the body could not be stored in PostgreSQL with the NUL in it).
        var logged = (await host.Directory.Log.QueryAsync(client.Enterprise, failedOnly: true, limit: 100)).Count;
        (await Raw("POST", "Users", Bytes("{\"userName\":\"nul", new byte[] { 0 }, "\"}"))).AssertError(400, "invalidSyntax");
        var entries = await host.Directory.Log.QueryAsync(client.Enterprise, failedOnly: true, limit: 100);
        Assert.Equal(logged + 1, entries.Count);

        // In a filter: in the URL (escaped NUL, invalid UTF-8) and in a search body.
        (await Raw("GET", "Users?filter=userName%20eq%20%22a%00%22")).AssertError(400, "invalidValue");
        (await Raw("GET", "Users?filter=userName%20eq%20%22a%FF%22")).AssertError(400, "invalidSyntax");
        (await Raw("GET", "Users?filter=userName%20eq%20%22a%ED%A0%80%22")).AssertError(400, "invalidSyntax");
        (await client.PostAsync("Users/.search", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName eq \"a\u0000\""}"""))
            .AssertError(400, "invalidValue");
        // In an id: an escaped NUL that Kestrel's decoding of the path leaves for Roster's.
        (await Raw("GET", $"Users/{id}%2500")).AssertError(400, "invalidValue");
        (await Raw("DELETE", $"Users/%FF{id}")).AssertError(400, "invalidSyntax");

        // Nothing was written: ann is as she was, and she is the only member.
        var list = (await client.GetAsync("Users")).AssertOk();
        Assert.Equal(1, list["totalResults"]!.GetValue<int>());
        Assert.Equal("ann@acme.example", list["Resources"]![0]!["userName"]!.GetValue<string>());
    }
}
