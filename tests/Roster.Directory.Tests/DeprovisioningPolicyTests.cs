using System.Text.Json.Nodes;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
using Roster.Scim.Errors;
using Roster.Scim.Resources;
using Roster.Scim.Schema;
using Roster.Testing;

namespace Roster.Directory.Tests;

/// <summary>Each enterprise's deprovisioning policy: stored and audited, validated, and obeyed by a
/// deactivation, a DELETE and a later POST of the same userName (restore within the grace period).</summary>
public sealed class DeprovisioningPolicyTests
{
    static readonly AuditActor Jane = AuditActor.OwnerAccount("jane@acme.example");

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_default_policy_suspends_on_deactivate_and_removes_for_good_on_delete(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var (_, directory, acme, _) = await OpenAsync(fixture);
        Assert.Equal(DeprovisioningPolicy.Default, await directory.DeprovisioningPolicies.GetAsync(acme));

        var ann = await CreateAsync(directory, acme, "ann");
        await SetActiveAsync(directory, acme, ann.Id, false);
        var suspended = await directory.Members.GetAsync(acme, ann.Id);
        Assert.False(suspended.Active);
        await SetActiveAsync(directory, acme, ann.Id, true);
        Assert.True((await directory.Members.GetAsync(acme, ann.Id)).Active);

        await directory.Members.DeleteAsync(acme, ann.Id, Attempt(acme, "delete"));
        await AssertNotFoundAsync(directory, acme, ann.Id);
        var again = await CreateAsync(directory, acme, "ann");
        Assert.NotEqual(ann.Id, again.Id);

        Assert.Equal(
            [MemberEffect.Provisioned, MemberEffect.Deleted, MemberEffect.Reactivated, MemberEffect.Deactivated, MemberEffect.Provisioned],
            (await directory.Log.QueryAsync(acme, false, 10)).Select(e => e.Effect));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Remove_on_deactivate_hides_the_member_frees_the_seat_and_ends_sessions_and_a_post_within_grace_restores_them(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var (clock, directory, acme, _) = await OpenAsync(fixture);
        await directory.DeprovisioningPolicies.SetAsync(acme, "remove", null, 30, Jane);
        var ann = await CreateAsync(directory, acme, "ann");
        var session = await directory.Sessions.OpenAsync(acme, ann.Id, TimeSpan.FromHours(8));
        Assert.Equal(1, (await directory.Enterprises.SummarizeAsync(acme)).SeatsUsed);

        var answered = await SetActiveAsync(directory, acme, ann.Id, false);
        Assert.False(answered.Active);
        await AssertNotFoundAsync(directory, acme, ann.Id);
        Assert.Equal(0, (await directory.Members.ListAsync(acme, null, 1, 100)).Total);
        Assert.Equal(0, (await directory.Enterprises.SummarizeAsync(acme)).SeatsUsed);
        Assert.Null(await directory.Sessions.ValidateAsync(session.Secret));
        Assert.Equal(0, await directory.Sessions.CountOpenAsync(ann.Id));
        var removal = (await directory.Log.QueryAsync(acme, false, 1))[0];
        Assert.Equal(MemberEffect.Removed("deactivate", clock.GetUtcNow().AddDays(30)), removal.Effect);
        Assert.Equal("removed (policy: remove on deactivate, restorable until 2030-02-14 09:00 UTC)", removal.Effect);

        clock.Advance(TimeSpan.FromDays(29));
        var restored = await CreateAsync(directory, acme, "ANN");
        Assert.Equal(ann.Id, restored.Id);
        Assert.Equal(ann.Created, restored.Created);
        Assert.True(restored.Active);
        Assert.Equal("ANN", restored.UserName);
        Assert.Equal(1, (await directory.Enterprises.SummarizeAsync(acme)).SeatsUsed);
        var history = await directory.Log.QueryAsync(acme, false, 10, targetId: ann.Id);
        Assert.Equal([MemberEffect.Restored, removal.Effect, MemberEffect.Provisioned], history.Select(e => e.Effect));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task After_the_grace_period_or_without_one_a_post_creates_a_new_member(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var (clock, directory, acme, _) = await OpenAsync(fixture);
        await directory.DeprovisioningPolicies.SetAsync(acme, "remove", "remove", 7, Jane);
        var ann = await CreateAsync(directory, acme, "ann");
        await directory.Members.DeleteAsync(acme, ann.Id, Attempt(acme, "delete"));
        Assert.StartsWith("removed (policy: remove on delete, restorable until ", (await directory.Log.QueryAsync(acme, false, 1))[0].Effect);

        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var newAnn = await CreateAsync(directory, acme, "ann");
        Assert.NotEqual(ann.Id, newAnn.Id);
        Assert.Equal(MemberEffect.Provisioned, (await directory.Log.QueryAsync(acme, false, 1))[0].Effect);

        await directory.DeprovisioningPolicies.SetAsync(acme, null, null, 0, Jane);
        await SetActiveAsync(directory, acme, newAnn.Id, false);
        Assert.Equal("removed (policy: remove on deactivate, final)", (await directory.Log.QueryAsync(acme, false, 1))[0].Effect);
        var third = await CreateAsync(directory, acme, "ann");
        Assert.NotEqual(newAnn.Id, third.Id);
        Assert.NotEqual(ann.Id, third.Id);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Suspend_on_delete_hides_the_member_as_rfc_7644_requires_and_a_post_restores_them_at_any_time(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var (clock, directory, acme, _) = await OpenAsync(fixture);
        await directory.DeprovisioningPolicies.SetAsync(acme, null, "suspend", null, Jane);
        var ann = await CreateAsync(directory, acme, "ann");
        var session = await directory.Sessions.OpenAsync(acme, ann.Id, TimeSpan.FromHours(8));

        await directory.Members.DeleteAsync(acme, ann.Id, Attempt(acme, "delete"));
        await AssertNotFoundAsync(directory, acme, ann.Id);
        Assert.Null(await directory.Sessions.ValidateAsync(session.Secret));
        Assert.Equal(0, (await directory.Enterprises.SummarizeAsync(acme)).SeatsUsed);
        Assert.Equal(MemberEffect.SuspendedOnDelete, (await directory.Log.QueryAsync(acme, false, 1))[0].Effect);

        clock.Advance(TimeSpan.FromDays(400));
        var restored = await CreateAsync(directory, acme, "ann");
        Assert.Equal(ann.Id, restored.Id);
        Assert.True(restored.Active);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_change_is_audited_bad_values_are_refused_with_their_reason_and_another_enterprise_keeps_its_policy(string kind)
    {
        await using var fixture = await DirectoryFixture.CreateAsync(kind);
        var (clock, directory, acme, globex) = await OpenAsync(fixture);

        var set = await directory.DeprovisioningPolicies.SetAsync(acme, "Remove", "suspend", 14, Jane);
        Assert.Equal(new DeprovisioningPolicy("remove", "suspend", 14, clock.GetUtcNow()), set);
        Assert.Equal(set, await directory.DeprovisioningPolicies.GetAsync(acme));
        // The same values again change nothing, and record nothing.
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(set, await directory.DeprovisioningPolicies.SetAsync(acme, "remove", null, 14, Jane));

        var deactivate = await Assert.ThrowsAsync<RosterException>(() => directory.DeprovisioningPolicies.SetAsync(acme, "purge", null, null, Jane));
        Assert.Contains("'suspend' (deactivate, restorable) or 'remove'", deactivate.Message);
        Assert.Contains("not 'purge'", deactivate.Message);
        var delete = await Assert.ThrowsAsync<RosterException>(() => directory.DeprovisioningPolicies.SetAsync(acme, null, "", null, Jane));
        Assert.Contains("on delete", delete.Message);
        var grace = await Assert.ThrowsAsync<RosterException>(() => directory.DeprovisioningPolicies.SetAsync(acme, null, null, -1, Jane));
        Assert.Contains("from 0 (removal is final at once) to 3650, not -1", grace.Message);
        await Assert.ThrowsAsync<RosterException>(() => directory.DeprovisioningPolicies.SetAsync(acme, null, null, 3651, Jane));
        Assert.Equal(set, await directory.DeprovisioningPolicies.GetAsync(acme));

        var entry = Assert.Single(await directory.Audit.ListAsync(acme, 10));
        Assert.Equal(AdminAction.DeprovisioningPolicyChanged, entry.Action);
        Assert.Equal("owner account jane@acme.example", entry.Actor);
        Assert.Equal(
            "Deprovisioning policy set: on deactivate remove, on delete suspend, grace period 14 day(s) " +
            "(was: on deactivate suspend, on delete remove, grace period 0 day(s))", entry.Summary);

        Assert.Equal(DeprovisioningPolicy.Default, await directory.DeprovisioningPolicies.GetAsync(globex));
        Assert.Empty(await directory.Audit.ListAsync(globex, 10));
        var bob = await CreateAsync(directory, globex, "bob");
        await SetActiveAsync(directory, globex, bob.Id, false);
        Assert.False((await directory.Members.GetAsync(globex, bob.Id)).Active);
    }

    static async Task<(ManualClock Clock, RosterDirectory Directory, Enterprise Acme, Enterprise Globex)> OpenAsync(DirectoryFixture fixture)
    {
        var clock = new ManualClock();
        var directory = await RosterDirectory.OpenAsync(fixture.Options, clock);
        return (clock, directory, await directory.Enterprises.CreateAsync("Acme"), await directory.Enterprises.CreateAsync("Globex"));
    }

    static async Task AssertNotFoundAsync(RosterDirectory directory, Enterprise enterprise, string id)
    {
        var error = await Assert.ThrowsAsync<ScimException>(() => directory.Members.GetAsync(enterprise, id));
        Assert.Equal(404, error.Status);
    }

    static Task<Member> CreateAsync(RosterDirectory directory, Enterprise enterprise, string userName)
    {
        var body = new JsonObject { ["schemas"] = new JsonArray(ScimSchemas.UserUrn), ["userName"] = userName };
        return directory.Members.CreateAsync(enterprise, ScimSchemas.UserResourceType,
            ResourceNormalizer.NormalizeRequestBody(body, ScimSchemas.UserResourceType), Attempt(enterprise, "create"));
    }

    static Task<Member> SetActiveAsync(RosterDirectory directory, Enterprise enterprise, string id, bool active) =>
        directory.Members.UpdateAsync(enterprise, ScimSchemas.UserResourceType, id, m =>
        {
            var resource = m.Resource.DeepClone().AsObject();
            resource["active"] = active;
            return resource;
        }, Attempt(enterprise, "patch"));

    static ProvisioningAttempt Attempt(Enterprise enterprise, string operation) => new()
    {
        EnterpriseId = enterprise.Id, Method = "PATCH", Path = "/test", Operation = operation, StartedAt = DateTimeOffset.UtcNow,
    };
}
