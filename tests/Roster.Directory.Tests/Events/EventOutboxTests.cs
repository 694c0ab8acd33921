using System.Text.Json.Nodes;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Events;
using Roster.Directory.Groups;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
using Roster.Directory.Roles;
using Roster.Scim.Errors;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using Roster.Testing;

namespace Roster.Directory.Tests.Events;

/// <summary>
/// The event outbox: one event for each change, of the right type, written in the change's own
/// transaction with a cursor that has no gaps, per enterprise; nothing for a change that did not
/// happen; and a feed that a consumer can page through without missing or repeating an event.
/// </summary>
public sealed class EventOutboxTests
{
    static readonly AuditActor Owner = AuditActor.OwnerAccount("owner@acme.example");

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Every_change_type_produces_its_event_in_order_with_gapless_cursors(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var globex = await directory.Enterprises.CreateAsync("Globex");
        await CreateMemberAsync(directory, globex, "someone@globex.example");

        var ann = await CreateMemberAsync(directory, acme, "ann@acme.example");                       // member.provisioned
        var bob = await CreateMemberAsync(directory, acme, "bob@acme.example");                       // member.provisioned
        await SetAsync(directory, acme, ann.Id, r => r["displayName"] = "Ann Lee");                  // member.updated
        await SetAsync(directory, acme, ann.Id, r => r["active"] = false);                           // member.deactivated
        await SetAsync(directory, acme, ann.Id, r => r["active"] = true);                            // member.reactivated
        var admins = await directory.Groups.CreateAsync(acme, GroupResource("Admins"), [ann.Id], Attempt(acme)); // group.created, membership.added
        await directory.Roles.MapAsync(acme, admins.Id, EnterpriseRole.Admin, Owner);               // role.changed (ann)
        await directory.Groups.UpdateAsync(acme, admins.Id, g => GroupResource("Roster Admins"),
            [new MembershipChange(MembershipChangeKind.Add, [bob.Id])], Attempt(acme));                // group.updated, membership.added, role.changed (bob)
        await directory.Groups.UpdateAsync(acme, admins.Id, g => g.Resource,
            [new MembershipChange(MembershipChangeKind.Remove, [ann.Id])], Attempt(acme));             // membership.removed, role.changed (ann)
        await directory.Members.DeleteAsync(acme, bob.Id, Attempt(acme));                             // member.deleted, membership.removed
        await directory.Groups.DeleteAsync(acme, admins.Id, Attempt(acme));                           // group.deleted

        var page = await directory.Events.ReadAsync(acme, 0, EventFeed.MaxLimit);
        Assert.Equal(
        [
            EventTypes.MemberProvisioned, EventTypes.MemberProvisioned, EventTypes.MemberUpdated, EventTypes.MemberDeactivated,
            EventTypes.MemberReactivated, EventTypes.GroupCreated, EventTypes.MembershipAdded, EventTypes.RoleChanged,
            EventTypes.GroupUpdated, EventTypes.MembershipAdded, EventTypes.RoleChanged, EventTypes.MembershipRemoved, EventTypes.RoleChanged,
            EventTypes.MemberDeleted, EventTypes.MembershipRemoved, EventTypes.GroupDeleted,
        ], page.Events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, page.Events.Count).Select(i => (long)i), page.Events.Select(e => e.Cursor));
        Assert.Equal(page.Events.Count, page.Events.Select(e => e.Id).Distinct().Count());
        Assert.Equal(page.Events[^1].Cursor, page.NextCursor);

        var events = page.Events;
        Assert.Equal("ann@acme.example", events[0].Data["member"]!["userName"]!.GetValue<string>());
        Assert.Equal(ann.Id, events[0].SubjectId);
        Assert.Equal("Ann Lee", events[2].Data["member"]!["displayName"]!.GetValue<string>());
        Assert.Equal("suspended", events[3].Data["deprovisioning"]!["outcome"]!.GetValue<string>());
        Assert.False(events[3].Data["member"]!["active"]!.GetValue<bool>());
        Assert.Equal((ann.Id, "member", "admin"), RoleChange(events[7]));
        Assert.Equal("Roster Admins", events[8].Data["group"]!["displayName"]!.GetValue<string>());
        Assert.Equal(bob.Id, events[9].Data["member"]!["id"]!.GetValue<string>());
        Assert.Equal((bob.Id, "member", "admin"), RoleChange(events[10]));
        Assert.Equal((ann.Id, "admin", "member"), RoleChange(events[12]));
        Assert.Equal("removed", events[13].Data["deprovisioning"]!["outcome"]!.GetValue<string>());
        Assert.Equal(EventTypes.SubjectGroup, events[14].SubjectType);
        Assert.Equal(bob.Id, events[14].Data["member"]!["id"]!.GetValue<string>());

        // The other enterprise has its own feed, from cursor 1.
        var other = await directory.Events.ReadAsync(globex, 0);
        Assert.Equal([1L], other.Events.Select(e => e.Cursor));
        Assert.All(other.Events, e => Assert.Equal(globex.Id, e.EnterpriseId));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_change_refused_or_that_changes_nothing_writes_no_event_and_takes_no_cursor(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(fixture.Options);
        var acme = await directory.Enterprises.CreateAsync("Acme");
        var ann = await CreateMemberAsync(directory, acme, "ann@acme.example");

        await Assert.ThrowsAsync<ScimException>(() => CreateMemberAsync(directory, acme, "ANN@acme.example"));
        await Assert.ThrowsAsync<ScimException>(() => directory.Groups.CreateAsync(acme, GroupResource("Team"), ["no-such-member"], Attempt(acme)));
        await SetAsync(directory, acme, ann.Id, _ => { });
        var team = await directory.Groups.CreateAsync(acme, GroupResource("Team"), [], Attempt(acme));
        await directory.Groups.UpdateAsync(acme, team.Id, g => g.Resource, [new MembershipChange(MembershipChangeKind.Remove, [ann.Id])], Attempt(acme));
        // A mapping that changes no one's role tells of no role change.
        await directory.Roles.MapAsync(acme, team.Id, EnterpriseRole.Member, Owner);

        var page = await directory.Events.ReadAsync(acme, 0);
        Assert.Equal([EventTypes.MemberProvisioned, EventTypes.GroupCreated], page.Events.Select(e => e.Type));
        Assert.Equal([1L, 2L], page.Events.Select(e => e.Cursor));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Writers_on_several_instances_at_once_get_distinct_gapless_cursors_and_a_pager_sees_each_event_once(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var instances = new[] { await RosterDirectory.OpenAsync(fixture.Options), await RosterDirectory.OpenAsync(fixture.Options) };
        var acme = await instances[0].Enterprises.CreateAsync("Acme");
        var team = await instances[0].Groups.CreateAsync(acme, GroupResource("Team"), [], Attempt(acme));

        // Members created from two instances at once, each then added to one group (a second row lock).
        var created = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var directory = instances[i % 2];
            var member = await CreateMemberAsync(directory, acme, $"person{i:00}@acme.example");
            await directory.Groups.UpdateAsync(acme, team.Id, g => g.Resource, [new MembershipChange(MembershipChangeKind.Add, [member.Id])], Attempt(acme));
            return member.Id;
        }));

        var seen = new List<DirectoryEvent>();
        long cursor = 0;
        while (true)
        {
            var page = await instances[1].Events.ReadAsync(acme, cursor, limit: 7);
            if (page.Events.Count == 0) break;
            seen.AddRange(page.Events);
            cursor = page.NextCursor;
        }
        Assert.Equal(81, seen.Count);
        Assert.Equal(Enumerable.Range(1, 81).Select(i => (long)i), seen.Select(e => e.Cursor));
        Assert.Equal(created.Order(), seen.Where(e => e.Type == EventTypes.MemberProvisioned).Select(e => e.SubjectId).Order());
        Assert.Equal(created.Order(), seen.Where(e => e.Type == EventTypes.MembershipAdded).Select(e => e.Data["member"]!["id"]!.GetValue<string>()).Order());
        // A member's own events come in the order they happened.
        foreach (var id in created)
        {
            var provisioned = seen.Single(e => e.Type == EventTypes.MemberProvisioned && e.SubjectId == id).Cursor;
            var added = seen.Single(e => e.Type == EventTypes.MembershipAdded && e.Data["member"]!["id"]!.GetValue<string>() == id).Cursor;
            Assert.True(provisioned < added);
        }
        Assert.Equal(81, await instances[0].Events.LatestCursorAsync(acme));
        await Assert.ThrowsAsync<RosterException>(() => instances[0].Events.ReadAsync(acme, -1));
        await Assert.ThrowsAsync<RosterException>(() => instances[0].Events.ReadAsync(acme, 0, EventFeed.MaxLimit + 1));
    }

    static (string Member, string From, string To) RoleChange(DirectoryEvent e) =>
        (e.Data["member"]!["id"]!.GetValue<string>(), e.Data["from"]!.GetValue<string>(), e.Data["to"]!.GetValue<string>());

    static Task<Member> CreateMemberAsync(RosterDirectory directory, Enterprise enterprise, string userName)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimSchemas.UserUrn),
            ["userName"] = userName,
            ["emails"] = new JsonArray(new JsonObject { ["value"] = userName, ["primary"] = true }),
        };
        return directory.Members.CreateAsync(enterprise, ScimSchemas.UserResourceType,
            ResourceNormalizer.NormalizeRequestBody(body, ScimSchemas.UserResourceType), Attempt(enterprise));
    }

    static Task<Member> SetAsync(RosterDirectory directory, Enterprise enterprise, string id, Action<JsonObject> change) =>
        directory.Members.UpdateAsync(enterprise, ScimSchemas.UserResourceType, id, member =>
        {
            var resource = member.Resource.DeepClone().AsObject();
            change(resource);
            return resource;
        }, Attempt(enterprise));

    static JsonObject GroupResource(string name) =>
        ResourceNormalizer.NormalizeRequestBody(new JsonObject { ["schemas"] = new JsonArray(ScimSchemas.GroupUrn), ["displayName"] = name },
            ScimSchemas.GroupResourceType);

    static ProvisioningAttempt Attempt(Enterprise enterprise) => new()
    {
        EnterpriseId = enterprise.Id, Method = "POST", Path = "/test", Operation = "test", StartedAt = DateTimeOffset.UtcNow,
    };
}
