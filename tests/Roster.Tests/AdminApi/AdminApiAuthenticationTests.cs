using Roster.Testing;

namespace Roster.Tests.AdminApi;

/// <summary>Who gets in: every refused key is the same 401 with WWW-Authenticate: Bearer, and a key of
/// one enterprise on another's URL gets exactly the 404 of an enterprise that does not exist.</summary>
public sealed class AdminApiAuthenticationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_missing_malformed_unknown_or_revoked_key_gets_one_and_the_same_401(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        var revoked = await host.Directory.ApiKeys.CreateAsync(acme, "old", null, actor: null);
        await host.Directory.ApiKeys.RevokeAsync(acme, revoked.ApiKey.Id, actor: null);
        var scimToken = await host.Directory.Tokens.CreateAsync(acme, "Okta", null, actor: null);

        string?[] authorizations =
        [
            null, "", "Bearer", "Bearer ", $"Basic {revoked.Key}", "Bearer rak_unknown", $"Bearer {revoked.Key}",
            $"Bearer {scimToken.Secret}", // a SCIM token is no admin key
        ];
        var bodies = new HashSet<string>();
        foreach (var authorization in authorizations)
        {
            using var api = new AdminApiClient(host, "acme", authorization);
            foreach (var path in new[] { "", "/members", "/scim/tokens" })
            {
                var response = await api.GetAsync(path);
                Assert.Contains("Authorization: Bearer KEY", response.AssertProblem(401));
                Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
                bodies.Add(response.Body);
            }
            // A change is refused before its body is read: a bad body still gets the 401.
            var change = await api.PutAsync("/deprovisioning-policy", "{not json");
            change.AssertProblem(401);
            bodies.Add(change.Body);
        }
        Assert.Single(bodies);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_key_of_one_enterprise_on_another_enterprises_URL_gets_the_404_of_an_enterprise_that_does_not_exist(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        var beta = await host.Directory.Enterprises.CreateAsync("Beta");
        var key = (await host.Directory.ApiKeys.CreateAsync(acme, "acme's", null, actor: null)).Key;

        foreach (var path in new[] { "", "/members", "/saml", "/provisioning-log" })
        {
            using var bySlug = new AdminApiClient(host, beta.Slug, $"Bearer {key}");
            using var byId = new AdminApiClient(host, beta.Id, $"Bearer {key}");
            using var missingSlug = new AdminApiClient(host, "gamma", $"Bearer {key}");
            using var missingId = new AdminApiClient(host, Guid.NewGuid().ToString(), $"Bearer {key}");
            var responses = new[] { await bySlug.GetAsync(path), await byId.GetAsync(path), await missingSlug.GetAsync(path), await missingId.GetAsync(path) };
            foreach (var response in responses) response.AssertProblem(404);
            Assert.Single(responses.Select(r => r.Body).Distinct());
            Assert.Single(responses.Select(r => string.Join(';', r.Headers.Select(h => h.Key).Where(h => h != "Date").Order()) + r.ContentType).Distinct());
            Assert.DoesNotContain("beta", responses[0].Body, StringComparison.OrdinalIgnoreCase);
        }
        // A change to the other enterprise is refused the same way and changes nothing.
        using (var other = new AdminApiClient(host, beta.Slug, $"Bearer {key}"))
            (await other.PutAsync("/deprovisioning-policy", """{"graceDays": 7}""")).AssertProblem(404);
        Assert.Null((await host.Directory.DeprovisioningPolicies.GetAsync(beta)).UpdatedAt);
        Assert.Empty(await host.Directory.Audit.ListAsync(beta, 10));

        // Its own enterprise answers by id and by slug alike.
        using var own = new AdminApiClient(host, acme.Id, $"Bearer {key}");
        Assert.Equal("acme", (await own.GetAsync()).AssertOk()["slug"]!.GetValue<string>());
    }
}
