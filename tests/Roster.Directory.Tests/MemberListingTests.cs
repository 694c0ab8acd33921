using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
using Roster.Directory.Roles;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>The console's member list: search, each filter, and keyset paging that visits every
/// member once, scoped to one enterprise.</summary>
public sealed class MemberListingTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Paging_by_cursor_visits_every_member_exactly_once_in_userName_order(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        var created = new List<string>();
        for (var i = 0; i < 120; i++)
        {
            // Case and order of creation differ from the userName order the list reads in.
            var member = await CreateAsync(directory, acme, $"{(i % 2 == 0 ? "P" : "p")}erson{(i * 37) % 120:000}@acme.example");
            created.Add(member.Id);
        }
        await CreateAsync(directory, globex, "person000@globex.example");
        var listing = new MemberListing(directory.Database);

        var seen = new List<MemberListingRow>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await listing.ReadAsync(acme, new MemberListingQuery(), cursor);
            Assert.Equal(120, page.Matches);
            Assert.False(page.MatchesCapped);
            seen.AddRange(page.Members);
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null);

        Assert.Equal(3, pages); // 50, 50, 20
        Assert.Equal(created.Order(), seen.Select(m => m.Id).Order());
        Assert.Equal(seen.Select(m => m.UserName.ToLowerInvariant()).Order(StringComparer.Ordinal), seen.Select(m => m.UserName.ToLowerInvariant()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Search_matches_the_start_of_userName_email_or_name_without_regard_to_case(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        var jane = await CreateAsync(directory, acme, "jdoe", "Jane.Doe@Acme.example", "Jane Doe");
        var janet = await CreateAsync(directory, acme, "janet", "janet@acme.example", "Janet Smith");
        var underscore = await CreateAsync(directory, acme, "a_b", "a_b@acme.example", "Under Score");
        var lookalike = await CreateAsync(directory, acme, "axb", "axb@acme.example", "Look Alike");
        await CreateAsync(directory, globex, "jane.doe@globex.example", "jane.doe@globex.example", "Jane Doe");
        var listing = new MemberListing(directory.Database);

        async Task<string[]> Found(string search) =>
            (await listing.ReadAsync(acme, new MemberListingQuery(Search: search), null)).Members.Select(m => m.Id).Order().ToArray();

        Assert.Equal([jane.Id], await Found("JANE.DOE"));          // email
        Assert.Equal([jane.Id], await Found("jdo"));               // userName
        Assert.Equal([janet.Id], await Found("janet s"));          // displayName
        Assert.Equal(new[] { jane.Id, janet.Id }.Order(), await Found("  Jan "));
        Assert.Empty(await Found("doe"));                          // a prefix, not a substring
        Assert.Equal([underscore.Id], await Found("a_"));          // wildcards are themselves
        Assert.Equal([lookalike.Id], await Found("ax"));
        Assert.Empty(await Found("%"));
        Assert.Equal(4, (await listing.ReadAsync(acme, new MemberListingQuery(Search: ""), null)).Matches);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Each_filter_narrows_to_its_members_and_filters_combine(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        var ann = await CreateAsync(directory, acme, "ann@acme.example");
        var bob = await CreateAsync(directory, acme, "bob@acme.example");
        var cy = await CreateAsync(directory, acme, "cy@acme.example");
        await DeactivateAsync(directory, acme, bob.Id);
        var (dee, _) = await directory.Members.CreateFromSignInAsync(acme, "dee@acme.example", "dee@acme.example", "Dee", null);
        var admins = await CreateGroupAsync(directory, acme, "Roster Admins", ann.Id, bob.Id);
        var owners = await CreateGroupAsync(directory, acme, "Owners", bob.Id);
        await CreateGroupAsync(directory, acme, "Engineering", cy.Id, ann.Id);
        await directory.Roles.MapAsync(acme, "Roster Admins", EnterpriseRole.Admin);
        await directory.Roles.MapAsync(acme, "Owners", EnterpriseRole.Owner);
        var otherAnn = await CreateAsync(directory, globex, "ann@globex.example");
        var otherGroup = await CreateGroupAsync(directory, globex, "Roster Admins", otherAnn.Id);
        var listing = new MemberListing(directory.Database);

        async Task<string[]> Found(MemberListingQuery query) =>
            (await listing.ReadAsync(acme, query, null)).Members.Select(m => m.Id).Order().ToArray();
        string[] Ids(params Member[] members) => members.Select(m => m.Id).Order().ToArray();

        Assert.Equal(Ids(bob), await Found(new(Active: false)));
        Assert.Equal(new[] { ann.Id, cy.Id, dee.Id }.Order(), await Found(new(Active: true)));
        Assert.Equal(Ids(ann), await Found(new(Role: EnterpriseRole.Admin)));
        Assert.Equal(Ids(bob), await Found(new(Role: EnterpriseRole.Owner))); // the highest of admin and owner
        Assert.Equal(new[] { cy.Id, dee.Id }.Order(), await Found(new(Role: EnterpriseRole.Member)));
        Assert.Empty(await Found(new(Role: EnterpriseRole.Guest)));
        Assert.Equal(Ids(ann, bob), await Found(new(GroupId: admins.Id)));
        Assert.Equal(Ids(bob), await Found(new(GroupId: owners.Id)));
        Assert.Empty(await Found(new(GroupId: otherGroup.Id))); // another enterprise's group
        Assert.Equal([dee.Id], await Found(new(Source: MemberDirectory.SourceSamlJit)));
        Assert.Equal(Ids(ann, bob, cy), await Found(new(Source: MemberDirectory.SourceScim)));
        Assert.Equal(Ids(ann), await Found(new(Active: true, GroupId: admins.Id, Search: "AN")));

        var rows = (await listing.ReadAsync(acme, new MemberListingQuery(), null)).Members.ToDictionary(m => m.Id);
        Assert.Equal(EnterpriseRole.Owner, rows[bob.Id].Role);
        Assert.False(rows[bob.Id].Active);
        Assert.NotNull(rows[bob.Id].DeactivatedAt);
        Assert.Equal(MemberDirectory.SourceSamlJit, rows[dee.Id].Source);
        Assert.DoesNotContain(otherAnn.Id, rows.Keys);

        Assert.Null(await listing.FindAsync(acme, otherAnn.Id));
        Assert.Equal("ann@acme.example", (await listing.FindAsync(acme, ann.Id))!.UserName);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_cursor_works_only_with_the_query_it_was_given_for(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        for (var i = 0; i < 3; i++) await CreateAsync(directory, acme, $"m{i}@acme.example");
        var listing = new MemberListing(directory.Database);
        var first = await listing.ReadAsync(acme, new MemberListingQuery(Search: "m"), null, count: 2);
        Assert.NotNull(first.NextCursor);

        var second = await listing.ReadAsync(acme, new MemberListingQuery(Search: "M "), first.NextCursor, count: 2);
        Assert.Equal("m2@acme.example", Assert.Single(second.Members).UserName);
        Assert.Null(second.NextCursor);

        await Assert.ThrowsAsync<RosterException>(() => listing.ReadAsync(acme, new MemberListingQuery(Search: "m0"), first.NextCursor, count: 2));
        await Assert.ThrowsAsync<RosterException>(() => listing.ReadAsync(acme, new MemberListingQuery(), "not-a-cursor"));
        await Assert.ThrowsAsync<RosterException>(() => listing.ReadAsync(acme, new MemberListingQuery(Role: "superuser"), null));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_members_SCIM_no_longer_sees_are_listed_apart_with_how_they_went_and_paged_the_same_way(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        await directory.DeprovisioningPolicies.SetAsync(acme, DeprovisioningPolicy.Remove, DeprovisioningPolicy.Suspend, 30, Roster.Directory.Audit.AuditActor.OwnerAccount("o@acme.example"));
        var gone = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var member = await CreateAsync(directory, acme, $"gone{59 - i:00}@acme.example");
            // Half removed on deactivation, half suspended on delete.
            if (i % 2 == 0) await DeactivateAsync(directory, acme, member.Id);
            else await directory.Members.DeleteAsync(acme, member.Id, Attempt(acme));
            gone.Add(member.Id);
        }
        var kept = await CreateAsync(directory, acme, "kept@acme.example");
        var other = await CreateAsync(directory, globex, "gone00@globex.example");
        await directory.Members.DeleteAsync(globex, other.Id, Attempt(globex));
        var listing = new MemberListing(directory.Database);

        var live = await listing.ReadAsync(acme, new MemberListingQuery(), null);
        Assert.Equal([kept.Id], live.Members.Select(m => m.Id));
        Assert.Null(live.Members[0].GoneAt);

        var seen = new List<MemberListingRow>();
        string? cursor = null;
        do
        {
            var page = await listing.ReadAsync(acme, new MemberListingQuery(Deprovisioned: true), cursor);
            Assert.Equal(60, page.Matches);
            seen.AddRange(page.Members);
            cursor = page.NextCursor;
        } while (cursor is not null);
        Assert.Equal(gone.Order(), seen.Select(m => m.Id).Order());
        Assert.Equal(seen.Select(m => m.UserName).Order(StringComparer.Ordinal), seen.Select(m => m.UserName));
        Assert.All(seen, m => Assert.NotNull(m.GoneAt));
        Assert.Equal(30, seen.Count(m => m.GoneHow == "removed" && m.RestorableUntil is not null));
        Assert.Equal(30, seen.Count(m => m.GoneHow == "suspended"));
        Assert.StartsWith("Removed, restorable until ",
            DeprovisionedMember.Label(seen.First(m => m.GoneHow == "removed").GoneHow, seen.First(m => m.GoneHow == "removed").RestorableUntil, DateTimeOffset.UtcNow));

        var searched = await listing.ReadAsync(acme, new MemberListingQuery(Search: "GONE0", Deprovisioned: true), null);
        Assert.Equal(10, searched.Matches);
        // A live list's cursor is no position in the deprovisioned one.
        var firstLive = await listing.ReadAsync(acme, new MemberListingQuery(), null, count: 1);
        var twoPages = await listing.ReadAsync(acme, new MemberListingQuery(Deprovisioned: true), null, count: 1);
        await Assert.ThrowsAsync<RosterException>(() => listing.ReadAsync(acme, new MemberListingQuery(), twoPages.NextCursor));
        Assert.Null(firstLive.NextCursor);
    }

    static Task<Member> CreateAsync(RosterDirectory directory, Enterprise enterprise, string userName, string? email = null, string? displayName = null)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.UserUrn),
            ["userName"] = userName,
            ["emails"] = new JsonArray(new JsonObject { ["value"] = email ?? userName, ["primary"] = true }),
        };
        if (displayName is not null) body["displayName"] = displayName;
        return directory.Members.CreateAsync(enterprise, ScimSchemas.UserResourceType,
            ResourceNormalizer.NormalizeRequestBody(body, ScimSchemas.UserResourceType), Attempt(enterprise));
    }

    static Task<Member> DeactivateAsync(RosterDirectory directory, Enterprise enterprise, string id) =>
        directory.Members.UpdateAsync(enterprise, ScimSchemas.UserResourceType, id, member =>
        {
            var resource = member.Resource.DeepClone().AsObject();
            resource["active"] = false;
            return resource;
        }, Attempt(enterprise));

    static Task<Groups.Group> CreateGroupAsync(RosterDirectory directory, Enterprise enterprise, string name, params string[] memberIds)
    {
        var body = new JsonObject { ["schemas"] = new JsonArray(ScimSchemas.GroupUrn), ["displayName"] = name };
        return directory.Groups.CreateAsync(enterprise, ResourceNormalizer.NormalizeRequestBody(body, ScimSchemas.GroupResourceType), memberIds,
            Attempt(enterprise));
    }

    static ProvisioningAttempt Attempt(Enterprise enterprise) => new()
    {
        EnterpriseId = enterprise.Id, Method = "POST", Path = "/test", Operation = "create", StartedAt = DateTimeOffset.UtcNow,
    };
}
