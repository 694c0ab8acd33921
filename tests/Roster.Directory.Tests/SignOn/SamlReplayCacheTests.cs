using Roster.Directory.SignOn;
using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Directory.Tests.SignOn;

/// <summary>A SAML message is accepted once per enterprise, across every Roster instance on the database.</summary>
public sealed class SamlReplayCacheTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_message_is_used_once_until_it_expires(string kind)
    {
        await using var fixture = await SignOnFixture.CreateAsync(kind);
        var (clock, directory, acme, globex) = fixture;
        var cache = directory.SamlReplayCache;
        var notOnOrAfter = clock.GetUtcNow().AddMinutes(30);

        Assert.True(await cache.TryUseAsync(acme, "_assertion1", notOnOrAfter));
        Assert.False(await cache.TryUseAsync(acme, "_assertion1", notOnOrAfter));
        Assert.False(await cache.TryUseAsync(acme, "_assertion1", notOnOrAfter.AddHours(1)));
        Assert.True(await cache.TryUseAsync(globex, "_assertion1", notOnOrAfter)); // ids are the IdP's: per enterprise
        Assert.True(await cache.TryUseAsync(acme, "_assertion2", notOnOrAfter));

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.False(await cache.TryUseAsync(acme, "_assertion1", notOnOrAfter));
        // Once the assertion could no longer be valid, its id is forgotten (the time checks refuse it).
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await cache.TryUseAsync(acme, "_assertion1", clock.GetUtcNow().AddMinutes(30)));
        Assert.False(await cache.TryUseAsync(acme, "_assertion1", clock.GetUtcNow().AddMinutes(30)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_message_that_says_it_ended_already_is_still_remembered_a_while(string kind)
    {
        await using var fixture = await SignOnFixture.CreateAsync(kind);
        var (clock, directory, acme, _) = fixture;

        Assert.True(await directory.SamlReplayCache.TryUseAsync(acme, "_late", clock.GetUtcNow().AddMinutes(-1)));
        clock.Advance(SamlReplayCache.MinimumRetention - TimeSpan.FromSeconds(1));
        Assert.False(await directory.SamlReplayCache.TryUseAsync(acme, "_late", clock.GetUtcNow().AddMinutes(-1)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Of_twenty_uses_at_once_on_several_instances_exactly_one_succeeds(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var clock = new ManualClock();
        var instances = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RosterDirectory.OpenAsync(fixture.Options, clock)));
        var acme = await instances[0].Enterprises.CreateAsync("Acme");
        // An expired row of the same id is there too: taking its place must be as exclusive as a fresh insert.
        Assert.True(await instances[0].SamlReplayCache.TryUseAsync(acme, "_replayed", clock.GetUtcNow()));
        await instances[0].SamlReplayCache.TryUseAsync(acme, "_other-expired", clock.GetUtcNow());
        clock.Advance(SamlReplayCache.MinimumRetention);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => instances[i % instances.Length].SamlReplayCache.TryUseAsync(acme, "_replayed", clock.GetUtcNow().AddMinutes(5)))));
        Assert.Single(results, used => used);

        var fresh = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => instances[i % instances.Length].SamlReplayCache.TryUseAsync(acme, "_fresh", clock.GetUtcNow().AddMinutes(5)))));
        Assert.Single(fresh, used => used);

        // Expired rows were cleared on the way.
        var rows = await instances[0].Database.ReadAsync(c => c.Command("SELECT message_id FROM saml_replay_cache WHERE enterprise_id = @e ORDER BY message_id")
            .With("@e", acme.Id).ListAsync(r => r.GetString(0)));
        Assert.Equal(["_fresh", "_replayed"], rows);
    }
}
