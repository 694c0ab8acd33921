using Roster.Testing;
using Roster.Tests.AdminApi;

namespace Roster.Tests.Isolation;

/// <summary>A SCIM token or admin API key given an expiry works until then and is refused from then on
/// with the same 401 as an unknown one; the provisioning log says which token expired.</summary>
public sealed class SecretExpiryTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_expired_SCIM_token_or_API_key_gets_401(string kind)
    {
        var clock = new ManualClock();
        await using var host = await RosterTestHost.StartAsync(kind, clock: clock);
        var idp = await host.CreateEnterpriseAsync("Acme");
        var expiring = await host.Directory.Tokens.CreateAsync(idp.Enterprise, "expiring", clock.GetUtcNow().AddHours(1), actor: null);
        var key = await host.Directory.ApiKeys.CreateAsync(idp.Enterprise, "expiring", clock.GetUtcNow().AddHours(1), actor: null);
        var scim = new ScimClient(host.Client(idp.Enterprise, $"Bearer {expiring.Secret}"), idp.Enterprise, expiring.Secret);
        using var api = AdminApiClient.For(host, idp.Enterprise, key.Key);
        using var unknownApi = new AdminApiClient(host, idp.Enterprise.Slug, "Bearer rak_unknown");
        var unknownScim = new ScimClient(host.Client(idp.Enterprise, "Bearer rst_unknown"), idp.Enterprise, "rst_unknown");

        (await scim.GetAsync("Users")).AssertOk();
        (await api.GetAsync("/members")).AssertOk();

        clock.Advance(TimeSpan.FromMinutes(59));
        (await scim.GetAsync("Users")).AssertOk();
        (await api.GetAsync("/members")).AssertOk();

        clock.Advance(TimeSpan.FromMinutes(1)); // the expiry itself: no longer valid
        var expiredScim = await scim.GetAsync("Users");
        expiredScim.AssertError(401);
        Assert.Equal((await unknownScim.GetAsync("Users")).Body, expiredScim.Body);
        var expiredKey = await api.GetAsync("/members");
        expiredKey.AssertProblem(401);
        Assert.Equal((await unknownApi.GetAsync("/members")).Body, expiredKey.Body);

        // The token without expiry still works; the log names the expired one.
        (await idp.GetAsync("Users")).AssertOk();
        var failures = await host.Directory.Log.QueryAsync(idp.Enterprise, failedOnly: true, limit: 10);
        Assert.Contains(failures, f => f.HttpStatus == 401 && f.TokenId == expiring.Token.Id);
        Assert.Equal("expired", (await host.Directory.Tokens.ListAsync(idp.Enterprise)).Single(t => t.Id == expiring.Token.Id).Status(clock.GetUtcNow()));
    }
}
