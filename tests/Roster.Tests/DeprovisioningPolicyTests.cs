using System.Net;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Testing;
using Roster.Testing.Saml;
using Roster.Tests.Saml;

namespace Roster.Tests;

/// <summary>
/// The deprovisioning policy over real HTTP, on SQLite and PostgreSQL: what a PATCH active:false and a
/// DELETE do under each policy, for SCIM (404 or not) and for the product (the member's SAML session
/// ends, the seat is freed), the provisioning log's effect naming the policy, and Okta's "reassign" (a
/// POST of the same userName) restoring a removed member within the grace period, and not after it
/// (the server's clock moved by the test).
/// </summary>
public sealed class DeprovisioningPolicyTests
{
    const string Deactivate = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""";
    static readonly AuditActor Admin = AuditActor.OwnerAccount("owner@acme.example");

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Remove_on_deactivate_takes_the_member_out_of_SCIM_ends_their_session_and_a_reassign_within_grace_restores_them(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await host.Directory.DeprovisioningPolicies.SetAsync(acme.Enterprise, DeprovisioningPolicy.Remove, null, 30, Admin);
        var annId = await acme.ProvisionAsync("ann@acme.example");
        await acme.ProvisionAsync("bob@acme.example");
        using var ann = await SignedInAsync(acme, "ann@acme.example");
        Assert.Equal(HttpStatusCode.OK, (await ann.GetAsync("/session")).StatusCode);

        // The deprovisioning itself is answered as the IdP expects: 200, the member as changed.
        var answered = (await acme.Scim!.PatchAsync($"Users/{annId}", Deactivate)).AssertOk();
        Assert.False(answered["active"]!.GetValue<bool>());

        (await acme.Scim.GetAsync($"Users/{annId}")).AssertError(404);
        var lookup = (await acme.Scim.GetAsync("Users?filter=userName%20eq%20%22ann%40acme.example%22")).AssertOk();
        Assert.Equal(0, lookup["totalResults"]!.GetValue<int>());
        Assert.Equal(1, (await acme.Scim.GetAsync("Users")).AssertOk()["totalResults"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await ann.GetAsync("/session")).StatusCode);
        Assert.Equal(1, (await host.Directory.Enterprises.SummarizeAsync(acme.Enterprise)).SeatsUsed);
        var removal = (await EffectsAsync(host, acme.Enterprise, annId))[0];
        Assert.StartsWith("removed (policy: remove on deactivate, restorable until ", removal);

        // The admin still finds Ann in the console, by the log's link, with what happened to her.
        using (var owner = await Roster.Tests.AdminConsole.ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise))
        {
            using var page = await owner.GetAsync($"/console/acme/members/{annId}");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var gone = Roster.Tests.AdminConsole.ConsoleBrowser.TextOf(await page.Content.ReadAsStringAsync(), "member-gone");
            Assert.StartsWith("Removed by the enterprise's deprovisioning policy: hidden from SCIM, their history kept; provisioning the same userName again before ", gone);
            using var unknown = await owner.GetAsync("/console/acme/members/no-such-member");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        // Okta's reassign: a POST of the same userName brings back the same member, with their history.
        var restored = await acme.Scim.PostAsync("Users", """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Ann@acme.example","name":{"givenName":"Ann","familyName":"Lee-Smith"},"active":true}
            """);
        var body = restored.AssertOk(201);
        Assert.Equal(annId, body["id"]!.GetValue<string>());
        Assert.EndsWith($"/Users/{annId}", restored.Headers.Location!.ToString());
        Assert.Equal("Lee-Smith", (await acme.Scim.GetAsync($"Users/{annId}")).AssertOk()["name"]!["familyName"]!.GetValue<string>());
        Assert.Equal(2, (await host.Directory.Enterprises.SummarizeAsync(acme.Enterprise)).SeatsUsed);
        Assert.Equal([MemberEffect.Restored, removal, MemberEffect.Provisioned], await EffectsAsync(host, acme.Enterprise, annId));
        using var again = await SignedInAsync(acme, "ann@acme.example");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/session")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Suspend_on_delete_answers_204_hides_the_member_from_SCIM_and_a_reassign_restores_them_while_another_enterprise_deletes_for_good(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var globex = await host.CreateEnterpriseAsync("Globex");
        await host.Directory.DeprovisioningPolicies.SetAsync(acme.Enterprise, null, DeprovisioningPolicy.Suspend, null, Admin);
        var annId = await acme.ProvisionAsync("ann@acme.example");
        using var ann = await SignedInAsync(acme, "ann@acme.example");

        Assert.Equal(204, (await acme.Scim!.DeleteAsync($"Users/{annId}")).Status);
        // RFC 7644 §3.6: a deleted resource is never returned again, even when the service provider keeps it.
        (await acme.Scim.GetAsync($"Users/{annId}")).AssertError(404);
        (await acme.Scim.PatchAsync($"Users/{annId}", Deactivate)).AssertError(404);
        Assert.Equal(0, (await acme.Scim.GetAsync("Users")).AssertOk()["totalResults"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await ann.GetAsync("/session")).StatusCode);
        Assert.Equal(0, (await host.Directory.Enterprises.SummarizeAsync(acme.Enterprise)).SeatsUsed);
        Assert.Equal(MemberEffect.SuspendedOnDelete, (await EffectsAsync(host, acme.Enterprise, annId))[0]);

        var restored = (await acme.Scim.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example"}""")).AssertOk(201);
        Assert.Equal(annId, restored["id"]!.GetValue<string>());
        Assert.True(restored["active"]!.GetValue<bool>());

        // Globex kept the default: deactivation suspends (still visible), DELETE is final.
        var bobId = (await globex.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob"}""")).AssertOk(201)["id"]!.GetValue<string>();
        (await globex.PatchAsync($"Users/{bobId}", Deactivate)).AssertOk();
        Assert.False((await globex.GetAsync($"Users/{bobId}")).AssertOk()["active"]!.GetValue<bool>());
        Assert.Equal(204, (await globex.DeleteAsync($"Users/{bobId}")).Status);
        Assert.Equal(MemberEffect.Deleted, (await EffectsAsync(host, globex.Enterprise, bobId))[0]);
        var newBob = (await globex.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob"}""")).AssertOk(201);
        Assert.NotEqual(bobId, newBob["id"]!.GetValue<string>());
        Assert.Equal(DeprovisioningPolicy.Default, await host.Directory.DeprovisioningPolicies.GetAsync(globex.Enterprise));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Remove_without_a_grace_period_is_final_and_a_new_post_creates_a_new_member(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.CreateEnterpriseAsync("Acme");
        await host.Directory.DeprovisioningPolicies.SetAsync(acme.Enterprise, DeprovisioningPolicy.Remove, null, null, Admin);
        const string Ann = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann"}""";
        var annId = (await acme.PostAsync("Users", Ann)).AssertOk(201)["id"]!.GetValue<string>();

        (await acme.PatchAsync($"Users/{annId}", Deactivate)).AssertOk();
        (await acme.GetAsync($"Users/{annId}")).AssertError(404);
        Assert.Equal("removed (policy: remove on deactivate, final)", (await EffectsAsync(host, acme.Enterprise, annId))[0]);

        var newAnn = (await acme.PostAsync("Users", Ann)).AssertOk(201)["id"]!.GetValue<string>();
        Assert.NotEqual(annId, newAnn);
        Assert.Equal(MemberEffect.Provisioned, (await EffectsAsync(host, acme.Enterprise, newAnn))[0]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task After_the_grace_period_a_reassign_creates_a_new_member_and_the_removed_one_keeps_its_history(string kind)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await RosterTestHost.StartAsync(kind, clock: clock);
        var acme = await host.CreateEnterpriseAsync("Acme");
        await host.Directory.DeprovisioningPolicies.SetAsync(acme.Enterprise, DeprovisioningPolicy.Suspend, DeprovisioningPolicy.Remove, 7, Admin);
        const string Ann = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example","active":true}""";
        var annId = (await acme.PostAsync("Users", Ann)).AssertOk(201)["id"]!.GetValue<string>();
        Assert.Equal(204, (await acme.DeleteAsync($"Users/{annId}")).Status);
        (await acme.GetAsync($"Users/{annId}")).AssertError(404);

        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var newAnn = (await acme.PostAsync("Users", Ann)).AssertOk(201)["id"]!.GetValue<string>();

        Assert.NotEqual(annId, newAnn);
        Assert.Equal([MemberEffect.Provisioned], await EffectsAsync(host, acme.Enterprise, newAnn));
        var removed = await EffectsAsync(host, acme.Enterprise, annId);
        Assert.Equal(2, removed.Count);
        Assert.StartsWith("removed (policy: remove on delete, restorable until ", removed[0]);
        (await acme.GetAsync($"Users/{annId}")).AssertError(404);
        Assert.Equal(1, (await host.Directory.Enterprises.SummarizeAsync(acme.Enterprise)).SeatsUsed);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_policy_is_set_and_shown_by_the_command_line_audited_and_bad_values_are_refused_with_their_reason(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        await host.Directory.Enterprises.CreateAsync("Globex");
        var store = host.StoreArguments;

        var shown = (await CliRunner.RunAsync(store, "policy", "show", "--enterprise", "acme")).Json.AsObject();
        Assert.Equal("""{"onDeactivate":"suspend","onDelete":"remove","graceDays":0,"updatedAt":null}""", shown.ToJsonString());

        var set = await CliRunner.RunAsync(store, "policy", "set", "--enterprise", "acme", "--on-deactivate", "remove", "--grace-days", "30");
        Assert.Equal(0, set.ExitCode);
        var json = set.Json.AsObject();
        Assert.Equal("remove", json["onDeactivate"]!.GetValue<string>());
        Assert.Equal("remove", json["onDelete"]!.GetValue<string>());
        Assert.Equal(30, json["graceDays"]!.GetValue<int>());
        Assert.NotNull(json["updatedAt"]);
        Assert.Equal(json.ToJsonString(), (await CliRunner.RunAsync(store, "policy", "show", "--enterprise", "acme")).Json.ToJsonString());

        Assert.Contains("'suspend' (deactivate, restorable) or 'remove'",
            (await CliRunner.RunAsync(store, "policy", "set", "--enterprise", "acme", "--on-delete", "purge")).AssertFailed());
        Assert.Contains("--grace-days takes a whole number of days from 0 to 3650, not 'soon'",
            (await CliRunner.RunAsync(store, "policy", "set", "--enterprise", "acme", "--grace-days", "soon")).AssertFailed(2));
        Assert.Contains("not 4000", (await CliRunner.RunAsync(store, "policy", "set", "--enterprise", "acme", "--grace-days", "4000")).AssertFailed());
        Assert.Contains("needs at least one of --on-deactivate, --on-delete, --grace-days",
            (await CliRunner.RunAsync(store, "policy", "set", "--enterprise", "acme")).AssertFailed(2));

        var entry = Assert.Single(await host.Directory.Audit.ListAsync(acme, 10));
        Assert.Equal(AdminAction.DeprovisioningPolicyChanged, entry.Action);
        Assert.StartsWith("command line (", entry.Actor);
        Assert.Equal("""{"onDeactivate":"suspend","onDelete":"remove","graceDays":0,"updatedAt":null}""",
            (await CliRunner.RunAsync(store, "policy", "show", "--enterprise", "globex")).Json.ToJsonString());
    }

    /// <summary>What the writes on a member did, newest first (reads, logged too, have no effect).</summary>
    static async Task<List<string>> EffectsAsync(RosterTestHost host, Enterprise enterprise, string memberId) =>
        (await host.Directory.Log.QueryAsync(enterprise, false, 50, targetId: memberId)).Where(e => e.Effect is not null).Select(e => e.Effect!).ToList();

    static async Task<SamlBrowser> SignedInAsync(SamlTestEnterprise enterprise, string nameId)
    {
        var browser = new SamlBrowser(enterprise.Host.BaseAddress);
        var started = await browser.StartAsync(enterprise.Slug);
        using var answered = await browser.PostResponseAsync(enterprise.Slug, enterprise.Respond(started.RequestId, nameId).FormValue, started.RelayState);
        Assert.Equal(HttpStatusCode.SeeOther, answered.StatusCode);
        return browser;
    }
}
