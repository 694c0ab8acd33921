using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Roster.Directory.Webhooks;
using Roster.Testing;
using Roster.Testing.Saml;
using Roster.Tests.AdminApi;
using Roster.Tests.Saml;
using Roster.Tests.Webhooks;

namespace Roster.Tests.Isolation;

/// <summary>Everything an admin does through the admin API is in the audit log, as the key that did it:
/// every change route the server has (read from its endpoint data source, so that a route added later
/// fails this test until it is listed here) is called once, and each call adds an entry naming the key.</summary>
public sealed class AdminApiAuditTests(ITestOutputHelper output)
{
    const string Base = "/api/v1/enterprises/{enterpriseId}";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Every_admin_API_change_adds_an_audit_entry_naming_the_key(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind, webhooks: RosterTestHost.FastWebhooks);
        await using var receiver = await WebhookReceiver.StartAsync();
        var idp = await host.CreateEnterpriseAsync("Acme");
        var enterprise = idp.Enterprise;
        var key = await host.Directory.ApiKeys.CreateAsync(enterprise, "audited script", null, actor: null);
        using var api = AdminApiClient.For(host, enterprise, key.Key);
        var groupId = (await idp.PostAsync("Groups", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Admins"}""")).AssertOk(201)["id"]!.GetValue<string>();
        var saml = TestIdentityProvider.Okta();
        string tokenId = "", endpointId = "";
        long deliveryId = 0;

        // In an order that works: each change's precondition is left by the one before.
        var changes = new List<(string Route, Func<Task<ApiResponse>> Send)>
        {
            ("PUT /saml", () => api.PutAsync("/saml", new JsonObject
            {
                ["idpEntityId"] = saml.EntityId, ["idpSsoUrl"] = SamlTestEnterprise.IdpSsoUrl, ["idpCertificatesPem"] = saml.CertificatePem,
            }.ToJsonString())),
            ("POST /scim/tokens", async () =>
            {
                var created = await api.PostAsync("/scim/tokens", """{"name":"second","expiresInDays":30}""");
                tokenId = created.AssertOk(201)["id"]!.GetValue<string>();
                return created;
            }),
            ("DELETE /scim/tokens/{tokenId}", () => api.DeleteAsync($"/scim/tokens/{tokenId}")),
            ("POST /role-mappings", () => api.PostAsync("/role-mappings", $$"""{"group":"{{groupId}}","role":"admin"}""")),
            ("DELETE /role-mappings/{groupId}", () => api.DeleteAsync($"/role-mappings/{groupId}")),
            ("PUT /deprovisioning-policy", () => api.PutAsync("/deprovisioning-policy", """{"graceDays":7}""")),
            ("PUT /domains", () => api.PutAsync("/domains", """{"domains":["acme.example"]}""")),
            ("PUT /linking", () => api.PutAsync("/linking", """{"adoptExisting":true}""")),
            ("POST /webhooks", async () =>
            {
                var added = await api.PostAsync("/webhooks", $$"""{"url":"{{receiver.Url}}"}""");
                endpointId = added.AssertOk(201)["id"]!.GetValue<string>();
                return added;
            }),
            ("POST /webhooks/deliveries/{deliveryId}/resend", async () =>
            {
                (await idp.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example"}""")).AssertOk(201);
                await WebhookReceiver.WaitForAsync(() => host.Directory.WebhookQueue.ListAsync(enterprise).Result.Any(d => d.State == DeliveryState.Delivered), "a delivery");
                deliveryId = (await host.Directory.WebhookQueue.ListAsync(enterprise)).First(d => d.State == DeliveryState.Delivered).Id;
                return await api.PostAsync($"/webhooks/deliveries/{deliveryId}/resend", "");
            }),
            ("DELETE /webhooks/{endpointId}", () => api.DeleteAsync($"/webhooks/{endpointId}")),
            ("PUT /scim", () => api.PutAsync("/scim", """{"enabled":false}""")),
        };

        List<string> routes;
        await using (var instance = await host.StartAnotherInstanceAsync())
        {
            routes = instance.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Where(e => ("/" + e.RoutePattern.RawText!.Trim('/')).StartsWith(Base, StringComparison.Ordinal))
                .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                    .Where(m => m is not ("GET" or "HEAD" or "OPTIONS")).Select(m => $"{m} {("/" + e.RoutePattern.RawText!.Trim('/'))[Base.Length..]}"))
                .Distinct().Order().ToList();
        }
        Assert.Equal(routes, changes.Select(c => c.Route).Order());

        foreach (var (route, send) in changes)
        {
            var before = await host.Directory.Audit.ListAsync(enterprise, 1000);
            var answer = await send();
            Assert.True(answer.Status is >= 200 and < 300, $"{route}: {answer.Status} {answer.Body}");
            var added = (await host.Directory.Audit.ListAsync(enterprise, 1000)).Where(e => before.All(b => b.Id != e.Id)).ToList();
            Assert.True(added.Count >= 1, $"{route} left no audit entry");
            Assert.All(added, e => Assert.Contains(key.ApiKey.Id, e.Actor));
            output.WriteLine($"{route}: {string.Join("; ", added.Select(e => $"{e.Action}: {e.Summary}"))}");
        }
    }
}
