using Roster.Directory.SignOn;
using Roster.Testing;

namespace Roster.Directory.Tests.SignOn;

/// <summary>An AuthnRequest is answered once, before it expires, for the enterprise that sent it.</summary>
public sealed class SamlPendingRequestsTests
{
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_request_is_consumed_once_and_found_by_its_relay_key(string kind)
    {
        await using var fixture = await SignOnFixture.CreateAsync(kind);
        var (clock, directory, acme, globex) = fixture;
        var pending = directory.SamlPendingRequests;

        var created = await pending.CreateAsync(acme, "_req1", "relay1", SamlRequestPurpose.Test, "/app/settings?tab=sso", Lifetime);
        Assert.Equal(clock.GetUtcNow() + Lifetime, created.ExpiresAt);
        Assert.Equal(created, await pending.FindByRelayKeyAsync(acme, "relay1"));
        Assert.Null(await pending.FindByRelayKeyAsync(globex, "relay1"));
        Assert.Null(await pending.ConsumeAsync(globex, "_req1")); // another enterprise's answer

        clock.Advance(TimeSpan.FromMinutes(1));
        var consumed = await pending.ConsumeAsync(acme, "_req1");
        Assert.NotNull(consumed);
        Assert.Equal(SamlRequestPurpose.Test, consumed.Purpose);
        Assert.Equal("/app/settings?tab=sso", consumed.ReturnPath);
        Assert.Equal(clock.GetUtcNow(), consumed.ConsumedAt);
        Assert.Null(await pending.ConsumeAsync(acme, "_req1"));
        Assert.Null(await pending.ConsumeAsync(acme, "_unknown"));

        // Still found, so that a refusal can say it was used already.
        var found = await pending.FindByRelayKeyAsync(acme, "relay1");
        Assert.False(found!.IsOpen(clock.GetUtcNow()));
        Assert.Equal(consumed, await pending.FindAsync(acme, "_req1"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Of_answers_that_arrive_together_exactly_one_consumes_the_request(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        // Separate directories, as separate Roster instances on one database would have.
        var instances = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RosterDirectory.OpenAsync(fixture.Options)));
        var acme = await instances[0].Enterprises.CreateAsync("Acme");
        await instances[0].SamlPendingRequests.CreateAsync(acme, "_race", "relay-race", SamlRequestPurpose.SignIn, null, Lifetime);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => instances[i % instances.Length].SamlPendingRequests.ConsumeAsync(acme, "_race"))));
        Assert.Single(results, r => r is not null);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_expired_request_is_not_consumed_and_is_deleted_later(string kind)
    {
        await using var fixture = await SignOnFixture.CreateAsync(kind);
        var (clock, directory, acme, globex) = fixture;
        var pending = directory.SamlPendingRequests;
        await pending.CreateAsync(acme, "_old", "relay-old", SamlRequestPurpose.SignIn, null, Lifetime);
        await pending.CreateAsync(globex, "_globex", "relay-globex", SamlRequestPurpose.SignIn, null, Lifetime);

        clock.Advance(Lifetime);
        Assert.Null(await pending.ConsumeAsync(acme, "_old"));
        Assert.False((await pending.FindAsync(acme, "_old"))!.IsOpen(clock.GetUtcNow()));

        // The next request of the enterprise clears its expired ones, and only its own.
        await pending.CreateAsync(acme, "_new", "relay-new", SamlRequestPurpose.SignIn, null, Lifetime);
        Assert.Null(await pending.FindAsync(acme, "_old"));
        Assert.NotNull(await pending.FindAsync(globex, "_globex"));
        Assert.NotNull(await pending.ConsumeAsync(acme, "_new"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Requests_that_could_redirect_elsewhere_or_clash_are_refused(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var pending = directory.SamlPendingRequests;

        foreach (var returnPath in new[] { "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "app", "/a\\b", "/a\nb", "" })
        {
            var refused = await Assert.ThrowsAsync<RosterException>(() =>
                pending.CreateAsync(acme, "_r", "relay", SamlRequestPurpose.SignIn, returnPath, Lifetime));
            Assert.Contains("path on this site", refused.Message);
        }
        await Assert.ThrowsAsync<RosterException>(() => pending.CreateAsync(acme, "_r", "relay", "login", null, Lifetime));
        await Assert.ThrowsAsync<RosterException>(() => pending.CreateAsync(acme, "_r", new string('k', 81), SamlRequestPurpose.SignIn, null, Lifetime));
        await Assert.ThrowsAsync<RosterException>(() => pending.CreateAsync(acme, "_r", "relay", SamlRequestPurpose.SignIn, null, TimeSpan.FromDays(1)));
        Assert.Null(await pending.FindAsync(acme, "_r"));

        await pending.CreateAsync(acme, "_r", "relay", SamlRequestPurpose.SignIn, "/", Lifetime);
        var sameRelay = await Assert.ThrowsAsync<RosterException>(() => pending.CreateAsync(acme, "_other", "relay", SamlRequestPurpose.SignIn, null, Lifetime));
        Assert.Contains("exists already", sameRelay.Message);
        await Assert.ThrowsAsync<RosterException>(() => pending.CreateAsync(acme, "_r", "relay-2", SamlRequestPurpose.SignIn, null, Lifetime));
    }
}
