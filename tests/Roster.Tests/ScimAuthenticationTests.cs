using Roster.Testing;

namespace Roster.Tests;

/// <summary>Only a live token of an enterprise opens that enterprise's SCIM URL.</summary>
public sealed class ScimAuthenticationTests
{
    const string User = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"secret.person@globex.example","active":true}""";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_token_of_one_enterprise_does_not_open_another(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.CreateEnterpriseAsync("Acme");
        var globex = await host.CreateEnterpriseAsync("Globex");
        var created = (await globex.PostAsync("Users", User)).AssertOk(201);
        var globexUserId = created["id"]!.GetValue<string>();

        using var crossed = host.Client(globex.Enterprise, $"Bearer {acme.Token}");
        foreach (var path in new[] { "Users", $"Users/{globexUserId}", "Users?filter=userName eq \"secret.person@globex.example\"", "Schemas", "Nothing" })
        {
            var response = await ScimResponse.ReadAsync(await crossed.GetAsync(path));
            response.AssertError(401);
            Assert.DoesNotContain("secret.person", response.Body);
            Assert.DoesNotContain(globexUserId, response.Body);
        }
        var write = await ScimResponse.ReadAsync(await crossed.DeleteAsync($"Users/{globexUserId}"));
        write.AssertError(401);
        Assert.True((await globex.GetAsync($"Users/{globexUserId}")).AssertOk()["active"]!.GetValue<bool>());

        // Acme's own view does not include Globex's member.
        Assert.Equal(0, (await acme.GetAsync("Users")).AssertOk()["totalResults"]!.GetValue<int>());
        (await acme.GetAsync($"Users/{globexUserId}")).AssertError(404);
    }

    [Fact]
    public async Task Missing_wrong_revoked_and_unknown_enterprise_are_401_with_a_challenge()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var okta = await host.CreateEnterpriseAsync("Acme");

        async Task Expect401(string? authorization, string slugPath = "")
        {
            using var client = host.Client(okta.Enterprise, authorization);
            var uri = slugPath.Length > 0 ? new Uri(host.BaseAddress, slugPath) : new Uri("Users", UriKind.Relative);
            using var response = await client.GetAsync(uri);
            var read = await ScimResponse.ReadAsync(response);
            read.AssertError(401);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        }

        await Expect401(null);
        await Expect401("Bearer ");
        await Expect401("Bearer rst_not-a-real-token");
        await Expect401("Basic dXNlcjpwYXNz");
        await Expect401($"Bearer {okta.Token}", "/scim/v2/no-such-enterprise/Users");

        // Okta's "HTTP Header" mode sends the token with no scheme.
        using (var header = host.Client(okta.Enterprise, okta.Token))
            Assert.Equal(200, (int)(await header.GetAsync("Users")).StatusCode);

        var token = (await host.Directory.Tokens.ListAsync(okta.Enterprise)).Single();
        await host.Directory.Tokens.RevokeAsync(okta.Enterprise, token.Id);
        await Expect401($"Bearer {okta.Token}");

        var failures = await host.Directory.Log.QueryAsync(okta.Enterprise, failedOnly: true, limit: 50);
        Assert.Contains(failures, f => f.HttpStatus == 401 && f.Reason!.Contains("revoked"));
        Assert.Contains(failures, f => f.HttpStatus == 401 && f.Reason!.Contains("no Authorization header"));
        Assert.DoesNotContain(failures, f => f.Reason!.Contains(okta.Token));
    }
}
