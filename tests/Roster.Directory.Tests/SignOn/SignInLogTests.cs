using Roster.Directory.SignOn;
using Roster.Testing;

namespace Roster.Directory.Tests.SignOn;

/// <summary>Every sign-in is recorded, newest first, with why the refused ones were.</summary>
public sealed class SignInLogTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Attempts_are_listed_newest_first_per_enterprise(string kind)
    {
        await using var fixture = await SignOnFixture.CreateAsync(kind);
        var (clock, directory, acme, globex) = fixture;
        var log = directory.SignInLog;

        var tested = await log.RecordAsync(new SignInAttempt
        {
            EnterpriseId = acme.Id, Outcome = SignInOutcome.Tested, NameId = "ann@acme.example", AssertionId = "_a1", RequestId = "_r1",
            ClientAddress = "203.0.113.7", UserAgent = "Mozilla/5.0",
        });
        Assert.True(tested.Id > 0);
        Assert.Equal(clock.GetUtcNow(), tested.OccurredAt);
        clock.Advance(TimeSpan.FromSeconds(1));
        var refused = await log.RecordAsync(new SignInAttempt
        {
            EnterpriseId = acme.Id, Outcome = SignInOutcome.Refused, Reason = SignInRefusal.UnknownMember, IdpInitiated = true,
            Detail = "No member of 'acme' has the userName bob@acme.example. " + new string('.', 2000), NameId = "bob@acme.example",
        });
        await log.RecordAsync(new SignInAttempt { EnterpriseId = globex.Id, Outcome = SignInOutcome.SignedIn, NameId = "gil@globex.example" });

        var all = await log.ListAsync(acme, refusedOnly: false, limit: 10);
        Assert.Equal([refused.Id, tested.Id], all.Select(a => a.Id));
        Assert.Equal(tested, all[1]);
        Assert.True(all[0].IdpInitiated);
        Assert.Equal(1001, all[0].Detail!.Length); // shortened, never refused
        Assert.EndsWith("…", all[0].Detail);
        var onlyRefused = Assert.Single(await log.ListAsync(acme, refusedOnly: true, limit: 10));
        Assert.Equal(SignInRefusal.UnknownMember, onlyRefused.Reason);
        Assert.Equal([tested.Id], (await log.ListAsync(acme, false, 10, before: refused.Id)).Select(a => a.Id));
        Assert.Single(await log.ListAsync(acme, false, limit: 1));
        Assert.Equal("gil@globex.example", Assert.Single(await log.ListAsync(globex, false, 10)).NameId);
    }

    [Fact]
    public async Task An_attempt_says_how_it_ended_and_a_refusal_why_as_a_code()
    {
        await using var fixture = await DirectoryFixture.CreateAsync(TestDatabase.Sqlite);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");

        await Assert.ThrowsAsync<ArgumentException>(() => directory.SignInLog.RecordAsync(new SignInAttempt { EnterpriseId = acme.Id, Outcome = "ok" }));
        await Assert.ThrowsAsync<ArgumentException>(() => directory.SignInLog.RecordAsync(new SignInAttempt { EnterpriseId = acme.Id, Outcome = SignInOutcome.Refused }));
        await Assert.ThrowsAsync<ArgumentException>(() => directory.SignInLog.RecordAsync(
            new SignInAttempt { EnterpriseId = acme.Id, Outcome = SignInOutcome.Refused, Reason = "The user is unknown." }));
        Assert.Empty(await directory.SignInLog.ListAsync(acme, false, 10));
    }
}
