using Roster.Directory.Audit;
using Roster.Testing;

namespace Roster.Directory.Tests.Api;

/// <summary>The admin API key store: a key opens its own enterprise only, its last use is written at
/// most once a minute, and revoking or expiring it refuses it the way an unknown key is refused.</summary>
public sealed class AdminApiKeysTests
{
    static readonly AuditActor Jane = AuditActor.OwnerAccount("jane@acme.example");

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_key_names_its_own_enterprise_and_its_last_use_is_written_at_most_once_a_minute(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var clock = new ManualClock();
        var directory = await RosterDirectory.OpenAsync(fixture.Options, clock);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        var issued = await directory.ApiKeys.CreateAsync(acme, "ci", null, Jane);
        var first = clock.GetUtcNow();

        var found = await directory.ApiKeys.AuthenticateAsync(issued.Key);
        Assert.Equal((acme.Id, "acme"), (found!.Enterprise.Id, found.Enterprise.Slug));
        Assert.Empty(await directory.ApiKeys.ListAsync(globex));

        clock.Advance(TimeSpan.FromSeconds(30));
        await directory.ApiKeys.AuthenticateAsync(issued.Key);
        Assert.Equal(first, Assert.Single(await directory.ApiKeys.ListAsync(acme)).LastUsedAt); // not rewritten within the minute

        clock.Advance(TimeSpan.FromSeconds(31));
        await directory.ApiKeys.AuthenticateAsync(issued.Key);
        Assert.Equal(clock.GetUtcNow(), Assert.Single(await directory.ApiKeys.ListAsync(acme)).LastUsedAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Revoked_expired_and_made_up_keys_are_all_refused_and_another_enterprise_cannot_revoke_a_key(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var clock = new ManualClock();
        var directory = await RosterDirectory.OpenAsync(fixture.Options, clock);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        var revoked = await directory.ApiKeys.CreateAsync(acme, "old", null, Jane);
        var expiring = await directory.ApiKeys.CreateAsync(acme, "short", clock.GetUtcNow().AddMinutes(5), Jane);

        var refused = await Assert.ThrowsAsync<RosterException>(() => directory.ApiKeys.RevokeAsync(globex, revoked.ApiKey.Id, Jane));
        Assert.Contains("has no API key", refused.Message);
        Assert.NotNull(await directory.ApiKeys.AuthenticateAsync(revoked.Key));

        await directory.ApiKeys.RevokeAsync(acme, revoked.ApiKey.Id, Jane);
        await directory.ApiKeys.RevokeAsync(acme, revoked.ApiKey.Id, Jane); // again: nothing more happens
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(await directory.ApiKeys.AuthenticateAsync(revoked.Key));
        Assert.Null(await directory.ApiKeys.AuthenticateAsync(expiring.Key));
        Assert.Null(await directory.ApiKeys.AuthenticateAsync("rak_made-up"));
        Assert.Null(await directory.ApiKeys.AuthenticateAsync(""));
        await Assert.ThrowsAsync<RosterException>(() => directory.ApiKeys.CreateAsync(acme, "late", clock.GetUtcNow(), Jane));

        Assert.Equal([AdminAction.ApiKeyRevoked, AdminAction.ApiKeyCreated, AdminAction.ApiKeyCreated],
            (await directory.Audit.ListAsync(acme, 10)).Select(e => e.Action));
        Assert.Empty(await directory.Audit.ListAsync(globex, 10));
    }
}
