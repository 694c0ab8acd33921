using System.Net;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminConsole;

/// <summary>The overview shows the directory as it is: members and seats, SAML and SCIM status, the
/// last provisioning request and the failures of the last 24 hours.</summary>
public sealed class OverviewTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Two_members_provisioned_over_SCIM_and_one_deactivated_read_one_active_one_deactivated(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        var before = await OverviewAsync(owner);
        Assert.Equal("0", ConsoleBrowser.TextOf(before, "members-active"));
        Assert.Equal("None yet", ConsoleBrowser.TextOf(before, "last-provisioning"));
        Assert.Equal("Configured, not tested", ConsoleBrowser.TextOf(before, "saml-status"));
        Assert.Equal("On", ConsoleBrowser.TextOf(before, "scim-status"));

        var annId = await acme.ProvisionAsync("ann@acme.example");
        await acme.ProvisionAsync("bob@acme.example");
        (await acme.Scim!.PatchAsync($"Users/{annId}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""")).AssertOk();
        // A request that fails: bob exists already.
        (await acme.Scim.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob@acme.example"}""")).AssertError(409);

        var after = await OverviewAsync(owner);
        Assert.Equal("1", ConsoleBrowser.TextOf(after, "members-active"));
        Assert.Equal("1", ConsoleBrowser.TextOf(after, "members-deactivated"));
        Assert.Equal("1", ConsoleBrowser.TextOf(after, "seats-used"));
        Assert.Equal("1", ConsoleBrowser.TextOf(after, "failures-24h"));
        var summary = await host.Directory.Enterprises.SummarizeAsync(acme.Enterprise);
        Assert.Equal(summary.LastProvisioningAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
            ConsoleBrowser.TextOf(after, "last-provisioning"));
    }

    static async Task<string> OverviewAsync(SamlBrowser owner)
    {
        using var page = await owner.GetAsync("/console/acme");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync();
    }
}
