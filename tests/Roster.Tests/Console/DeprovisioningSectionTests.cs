using System.Net;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Testing;
using Roster.Testing.Saml;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>The Deprovisioning section of /console/{slug}/scim: the policy as it is, a form that changes
/// it (303, audited with the admin), a bad value refused with its reason and nothing changed, another
/// enterprise's policy untouched, plain members refused.</summary>
public sealed class DeprovisioningSectionTests
{
    const string Page = "/console/acme/scim";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_admin_sees_and_changes_the_policy_and_the_change_is_audited(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        var globex = await host.Directory.Enterprises.CreateAsync("Globex");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme);

        var before = await PageAsync(owner);
        Assert.Equal("Suspend: deactivated, restorable by active: true", ConsoleBrowser.TextOf(before, "policy-on-deactivate"));
        Assert.Equal("Remove: gone for SCIM, history kept", ConsoleBrowser.TextOf(before, "policy-on-delete"));
        Assert.StartsWith("None: a removal is final", ConsoleBrowser.TextOf(before, "policy-grace"));
        Assert.Equal("Never (the defaults)", ConsoleBrowser.TextOf(before, "policy-updated"));
        Assert.Contains("<label for=\"policy-grace-days\">", before);

        using (var saved = await owner.SubmitAsync(Page, [new("onDeactivate", "remove"), new("onDelete", "suspend"), new("graceDays", "14")],
                   Page + "?handler=policy"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
            Assert.Equal(Page + "?done=policy", saved.Headers.Location!.OriginalString);
        }
        Assert.Equal(("remove", "suspend", 14), Values(await host.Directory.DeprovisioningPolicies.GetAsync(acme)));
        var after = await PageAsync(owner, Page + "?done=policy");
        Assert.StartsWith("Deprovisioning policy saved.", ConsoleBrowser.TextOf(after, "done"));
        Assert.Equal("Remove: gone for SCIM, history kept", ConsoleBrowser.TextOf(after, "policy-on-deactivate"));
        Assert.StartsWith("Suspend: hidden from SCIM", ConsoleBrowser.TextOf(after, "policy-on-delete"));
        Assert.StartsWith("14 day(s)", ConsoleBrowser.TextOf(after, "policy-grace"));
        Assert.Contains("<option value=\"remove\" selected=\"selected\">Remove</option>", after);

        using (var refused = await owner.SubmitAsync(Page, [new("onDeactivate", "remove"), new("onDelete", "suspend"), new("graceDays", "-3")],
                   Page + "?handler=policy"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Equal("The grace period is a whole number of days from 0 (removal is final at once) to 3650, not '-3'.",
                ConsoleBrowser.TextOf(html, "policy-error"));
            Assert.Contains("value=\"-3\"", html);
        }
        using (var refused = await owner.SubmitAsync(Page, [new("onDeactivate", "erase")], Page + "?handler=policy"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("not 'erase'", ConsoleBrowser.TextOf(await refused.Content.ReadAsStringAsync(), "policy-error"));
        }
        Assert.Equal(("remove", "suspend", 14), Values(await host.Directory.DeprovisioningPolicies.GetAsync(acme)));

        var entry = Assert.Single(await ConsoleBrowser.AuditAfterSetUpAsync(host, acme, 10));
        Assert.Equal((AdminAction.DeprovisioningPolicyChanged, "owner account owner@acme.example"), (entry.Action, entry.Actor));
        Assert.Equal(DeprovisioningPolicy.Default, await host.Directory.DeprovisioningPolicies.GetAsync(globex));
    }

    [Fact]
    public async Task A_plain_member_cannot_change_the_policy_nor_can_a_form_without_its_antiforgery_token()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        await acme.ProvisionAsync("bob@acme.example");
        using var bob = await ConsoleAccessTests.SignedInBySamlAsync(acme, "bob@acme.example");
        using (var refused = await bob.SubmitAsync(Page, [new("onDeactivate", "remove")], Page + "?handler=policy"))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);
        using (var forged = await owner.PostFormAsync(Page + "?handler=policy", [new("onDeactivate", "remove")]))
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        Assert.Equal(DeprovisioningPolicy.Default, await host.Directory.DeprovisioningPolicies.GetAsync(acme.Enterprise));
        Assert.Empty(await ConsoleBrowser.AuditAfterSetUpAsync(host, acme.Enterprise, 10));
    }

    static (string, string, int) Values(DeprovisioningPolicy policy) => (policy.OnDeactivate, policy.OnDelete, policy.GraceDays);

    static async Task<string> PageAsync(SamlBrowser browser, string path = Page)
    {
        using var page = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync();
    }
}
