using System.Net;
using System.Text.RegularExpressions;
using Roster.Directory.Audit;
using Roster.Directory.Webhooks;
using Roster.Testing;
using Roster.Tests.Saml;
using Roster.Tests.Webhooks;

namespace Roster.Tests.AdminConsole;

/// <summary>The Webhooks page over HTTP: add an endpoint (its secret shown once), watch a failing
/// delivery's attempts, resend it, remove the endpoint; every action audited; 403 for a plain member.</summary>
public sealed partial class WebhooksPageTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_admin_adds_an_endpoint_sees_a_failing_delivery_resends_it_and_removes_the_endpoint(string kind)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await RosterTestHost.StartAsync(kind, webhooks: RosterTestHost.FastWebhooks);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, acme.Enterprise);

        using var refused = await owner.SubmitAsync("/console/acme/webhooks", [new("url", "http://product.example/hooks")], "/console/acme/webhooks?handler=add");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("https", ConsoleBrowser.TextOf(await refused.Content.ReadAsStringAsync(), "error"));

        using var added = await owner.SubmitAsync("/console/acme/webhooks",
            [new("url", receiver.Url), new("description", "the product"), new("types", "member.provisioned"), new("types", "member.deactivated")],
            "/console/acme/webhooks?handler=add");
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.True(added.Headers.CacheControl?.NoStore);
        var secret = SecretField().Match(await added.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.StartsWith("whsec_", secret);
        var listed = await (await owner.GetAsync("/console/acme/webhooks")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, listed);
        Assert.Contains("member.provisioned, member.deactivated", listed);

        receiver.FailNext(1);
        await acme.ProvisionAsync("ann@acme.example");
        await WebhookReceiver.WaitForAsync(() => host.Directory.WebhookQueue.ListAsync(acme.Enterprise).Result.SingleOrDefault()?.LastStatus == 503,
            "the failed first attempt");
        var delivery = (await host.Directory.WebhookQueue.ListAsync(acme.Enterprise)).Single();
        var failing = await (await owner.GetAsync("/console/acme/webhooks?failing=true")).Content.ReadAsStringAsync();
        Assert.Contains($"id=\"delivery-{delivery.Id}\"", failing);
        Assert.Contains("Retrying", failing);
        var opened = await (await owner.GetAsync($"/console/acme/webhooks?delivery={delivery.Id}")).Content.ReadAsStringAsync();
        Assert.Contains("busy, try later", opened);
        Assert.Contains("503", opened);

        // Delivered on the resend (now, not at the scheduled retry), and recorded so.
        using var resent = await owner.SubmitAsync("/console/acme/webhooks", [new("id", delivery.Id.ToString())], "/console/acme/webhooks?handler=resend");
        Assert.Equal(HttpStatusCode.SeeOther, resent.StatusCode);
        await WebhookReceiver.WaitForAsync(() => host.Directory.WebhookQueue.ListAsync(acme.Enterprise).Result.Single().State == DeliveryState.Delivered,
            "the resent delivery");

        var endpoint = (await host.Directory.Webhooks.ListAsync(acme.Enterprise)).Single().Endpoint;
        using var removed = await owner.SubmitAsync("/console/acme/webhooks", [new("id", endpoint.Id)], "/console/acme/webhooks?handler=remove");
        Assert.Equal(HttpStatusCode.SeeOther, removed.StatusCode);
        Assert.Empty(await host.Directory.Webhooks.ListAsync(acme.Enterprise));
        var actions = (await host.Directory.Audit.ListAsync(acme.Enterprise, 20)).Select(e => e.Action).ToList();
        Assert.Contains(AdminAction.WebhookAdded, actions);
        Assert.Contains(AdminAction.WebhookDeliveryResent, actions);
        Assert.Contains(AdminAction.WebhookRemoved, actions);

        // Another enterprise's endpoint cannot be removed from here.
        var globex = await SamlTestEnterprise.CreateAsync(host, "Globex");
        var theirs = await host.Directory.Webhooks.AddAsync(globex.Enterprise, receiver.Url, [], null, AuditActor.OwnerAccount("o@globex.example"));
        using var notOurs = await owner.SubmitAsync("/console/acme/webhooks", [new("id", theirs.Endpoint.Id)], "/console/acme/webhooks?handler=remove");
        Assert.Equal(HttpStatusCode.BadRequest, notOurs.StatusCode);
        Assert.Single(await host.Directory.Webhooks.ListAsync(globex.Enterprise));
    }

    [GeneratedRegex("id=\"new-secret\" value=\"([^\"]+)\"")]
    private static partial Regex SecretField();
}
