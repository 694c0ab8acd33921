using Roster.Directory.Audit;
using Roster.Testing;

namespace Roster.Directory.Tests.Identity;

/// <summary>Setting an enterprise's whole list of email domains (the admin API's PUT): one
/// transaction, each domain added or removed audited, a bad entry changing nothing.</summary>
public sealed class DomainListReplaceTests
{
    static readonly AuditActor Key = AuditActor.ApiKey("k1", "script");

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_list_is_replaced_whole_or_not_at_all(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        await directory.Domains.AddAsync(acme, "acme.example", Key);
        await directory.Domains.AddAsync(acme, "old.example", Key);

        var rule = await directory.Domains.ReplaceAsync(acme, ["ACME.example", "new.example"], "flag", Key);

        Assert.Equal(["acme.example", "new.example"], rule.Domains.Select(d => d.Domain).Order());
        Assert.Equal("flag", rule.OutsideDomains);
        var actions = (await directory.Audit.ListAsync(acme, 10)).Select(e => e.Action).ToList();
        Assert.Equal([AdminAction.DomainRuleChanged, AdminAction.DomainAdded, AdminAction.DomainRemoved], actions.Take(3));

        await Assert.ThrowsAsync<RosterException>(() => directory.Domains.ReplaceAsync(acme, ["other.example", "not a domain"], null, Key));
        await Assert.ThrowsAsync<RosterException>(() => directory.Domains.ReplaceAsync(acme, ["other.example"], "ignore", Key));
        Assert.Equal(["acme.example", "new.example"], (await directory.Domains.GetAsync(acme)).Domains.Select(d => d.Domain).Order());
        Assert.Equal("flag", (await directory.Domains.GetAsync(acme)).OutsideDomains);
    }
}
