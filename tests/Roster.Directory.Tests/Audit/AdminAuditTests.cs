using Roster.Directory.Audit;
using Roster.Directory.Storage;
using Roster.Directory.Tests.SignOn;
using Roster.Testing;

namespace Roster.Directory.Tests.Audit;

/// <summary>The audit log of admin actions: each audited change writes its entry in its own
/// transaction (a refused change leaves none), entries stay with their enterprise, read newest first
/// and paged backwards by id, and no entry holds a secret.</summary>
public sealed class AdminAuditTests
{
    static readonly AuditActor Jane = AuditActor.OwnerAccount("jane@acme.example");

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Each_audited_change_is_recorded_with_its_actor_and_action_newest_first_and_for_its_enterprise_only(string kind)
    {
        await using var fixture = await SignOnFixture.CreateAsync(kind);
        var (clock, directory, acme, globex) = fixture;
        var cli = AuditActor.CommandLine("ops", "build-01");

        var configured = (await directory.SamlConfigurations.SaveAsync(acme, SamlSettingsFor.Settings("acme"), Jane)).After;
        Assert.True(await directory.SamlConfigurations.MarkVerifiedAsync(acme, configured, "ann@acme.example"));
        clock.Advance(TimeSpan.FromMinutes(1));
        await directory.ScimActivation.EnableAsync(acme, Jane);
        var issued = await directory.Tokens.CreateAsync(acme, "Okta", null, Jane);
        await directory.Tokens.RevokeAsync(acme, issued.Token.Id, cli);
        await directory.ScimActivation.DisableAsync(acme, cli);
        await directory.Owners.CreateAsync(acme, "olga@acme.example", "Olga", cli);
        await directory.Tokens.CreateAsync(globex, "Globex's Okta", null, AuditActor.OwnerAccount("gus@globex.example"));

        var entries = await directory.Audit.ListAsync(acme, 50);
        Assert.Equal(
            [
                (AdminAction.OwnerCreated, "command line (ops@build-01)"),
                (AdminAction.ScimDisabled, "command line (ops@build-01)"),
                (AdminAction.ScimTokenRevoked, "command line (ops@build-01)"),
                (AdminAction.ScimTokenCreated, "owner account jane@acme.example"),
                (AdminAction.ScimEnabled, "owner account jane@acme.example"),
                (AdminAction.SamlConfigured, "owner account jane@acme.example"),
            ],
            entries.Select(e => (e.Action, e.Actor)));
        Assert.All(entries, e => Assert.Equal(acme.Id, e.EnterpriseId));
        Assert.Equal(clock.GetUtcNow(), entries[0].OccurredAt);
        Assert.True(entries[^1].OccurredAt < entries[0].OccurredAt);
        Assert.Contains($"'Okta' ({issued.Token.Id})", entries[3].Summary);
        Assert.Contains("IdP http://www.okta.com/exk1", entries[5].Summary);
        Assert.Contains("olga@acme.example", entries[0].Summary);

        var globexEntry = Assert.Single(await directory.Audit.ListAsync(globex, 50));
        Assert.Equal("owner account gus@globex.example", globexEntry.Actor);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_refused_change_records_nothing_and_a_change_without_an_actor_is_no_admin_action(string kind)
    {
        await using var fixture = await SignOnFixture.CreateAsync(kind);
        var (_, directory, acme, _) = fixture;

        await Assert.ThrowsAsync<RosterException>(() => directory.ScimActivation.EnableAsync(acme, Jane));
        await directory.Owners.CreateAsync(acme, "olga@acme.example", null, Jane);
        await Assert.ThrowsAsync<RosterException>(() => directory.Owners.CreateAsync(acme, "OLGA@acme.example", null, Jane));
        await Assert.ThrowsAsync<RosterException>(() => directory.Tokens.RevokeAsync(acme, "no-such-token", Jane));
        // Turning off what is off, and set-up without an actor (tests, benchmarks), leave no entry.
        await directory.ScimActivation.DisableAsync(acme, Jane);
        await directory.Tokens.CreateAsync(acme, "Okta", null);

        var entry = Assert.Single(await directory.Audit.ListAsync(acme, 50));
        Assert.Equal(AdminAction.OwnerCreated, entry.Action);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Entries_page_backwards_by_id_and_never_hold_a_token_secret(string kind)
    {
        await using var fixture = await SignOnFixture.CreateAsync(kind);
        var (_, directory, acme, _) = fixture;
        var secrets = new List<string>();
        for (var i = 0; i < 5; i++) secrets.Add((await directory.Tokens.CreateAsync(acme, $"token {i}", null, Jane)).Secret);

        var first = await directory.Audit.ListAsync(acme, 2);
        var second = await directory.Audit.ListAsync(acme, 2, before: first[^1].Id);
        var last = await directory.Audit.ListAsync(acme, 2, before: second[^1].Id);
        Assert.Equal(["token 4", "token 3", "token 2", "token 1", "token 0"],
            first.Concat(second).Concat(last).Select(e => e.Summary.Split('\'')[1]));

        var stored = await new RosterDatabase(fixture.Directory.Database.Options).ReadAsync(c =>
            c.Command("SELECT actor || ' ' || action || ' ' || summary FROM admin_audit").ListAsync(r => r.GetString(0)));
        Assert.Equal(5, stored.Count);
        Assert.All(stored, row => Assert.DoesNotContain(ScimTokenPrefix, row));
        Assert.All(secrets, secret => Assert.DoesNotContain(stored, row => row.Contains(secret[^12..], StringComparison.Ordinal)));
    }

    const string ScimTokenPrefix = Tokens.ScimTokenStore.SecretPrefix;
}
