using System.Text.Json.Nodes;
using Roster.Directory.Audit;
using Roster.Directory.Webhooks;
using Roster.Tests.AdminApi;
using Roster.Tests.Webhooks;

namespace Roster.Tests.Isolation;

/// <summary>A server with two enterprises, Acme (A) and Beta (B), both populated alike: members (one
/// deactivated), groups with members, a role mapping, a SCIM token, an admin API key, a webhook endpoint
/// with delivered events, provisioning log entries (one failed), and for B a declared extension schema.
/// Everything of B's carries the word "beta", so that an answer to A that mentions B is easy to see.</summary>
public sealed class IsolationWorld : IAsyncDisposable
{
    public const string BetaExtension = "urn:ietf:params:scim:schemas:extension:beta:2.0:User";

    readonly WebhookReceiver receiver;

    IsolationWorld(RosterTestHost host, WebhookReceiver receiver, Tenant a, Tenant b)
    {
        Host = host;
        this.receiver = receiver;
        A = a;
        B = b;
    }

    public RosterTestHost Host { get; }
    public Tenant A { get; }
    public Tenant B { get; }

    public static async Task<IsolationWorld> CreateAsync(string kind)
    {
        var host = await RosterTestHost.StartAsync(kind, webhooks: RosterTestHost.FastWebhooks);
        var receiver = await WebhookReceiver.StartAsync();
        var a = await PopulateAsync(host, receiver, "Acme");
        var b = await PopulateAsync(host, receiver, "Beta");
        var schema = Path.Combine(Path.GetTempPath(), $"roster-schema-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(schema, $$"""
            {"id": "{{BetaExtension}}", "name": "BetaUser", "description": "beta's own attributes",
             "attributes": [{"name": "betaBadge", "type": "string", "description": "beta badge"}]}
            """);
        var declared = await CliRunner.RunAsync(host.StoreArguments, "schema", "add", "--enterprise", "beta", "--file", schema);
        File.Delete(schema);
        Assert.True(declared.ExitCode == 0, declared.Error);

        // Every event delivered, so that the dispatcher has nothing left to change in either enterprise.
        foreach (var tenant in new[] { a, b })
        {
            var latest = await host.Directory.Events.LatestCursorAsync(tenant.Enterprise);
            await WebhookReceiver.WaitForAsync(() => host.Directory.WebhookQueue.ListAsync(tenant.Enterprise, limit: 500).Result is { Count: > 0 } deliveries
                && deliveries.All(d => d.State == DeliveryState.Delivered) && deliveries.Max(d => d.EventCursor) == latest, $"{tenant.Enterprise.Slug}'s deliveries");
            tenant.DeliveryIds.AddRange((await host.Directory.WebhookQueue.ListAsync(tenant.Enterprise, limit: 500)).Select(d => d.Id));
            tenant.LogEntryIds.AddRange((await host.Directory.Log.QueryAsync(tenant.Enterprise, failedOnly: false, limit: 500)).Select(e => e.Id));
            Assert.NotEmpty(tenant.DeliveryIds);
        }
        return new IsolationWorld(host, receiver, a, b);
    }

    static async Task<Tenant> PopulateAsync(RosterTestHost host, WebhookReceiver receiver, string name)
    {
        var p = name.ToLowerInvariant();
        var scim = await host.CreateEnterpriseAsync(name);
        var key = await host.Directory.ApiKeys.CreateAsync(scim.Enterprise, $"{p} script", null, actor: null);
        var tenant = new Tenant(scim, key.Key, key.ApiKey.Id) { TokenId = (await host.Directory.Tokens.ListAsync(scim.Enterprise)).Single().Id };
        var admin = AuditActor.OwnerAccount($"owner@{p}.example");
        tenant.WebhookId = (await host.Directory.Webhooks.AddAsync(scim.Enterprise, $"{receiver.Url}?{p}", [], $"{p} hooks", admin)).Endpoint.Id;

        foreach (var user in new[] { "ann", "bob", "cat" })
        {
            var userName = $"{user}@{p}.example";
            var created = (await scim.PostAsync("Users", $$"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","externalId":"{{p}}-{{user}}",
                 "name":{"givenName":"{{user}}","familyName":"{{p}}"},"emails":[{"value":"{{userName}}","type":"work","primary":true}],"active":true}
                """)).AssertOk(201);
            tenant.MemberIds.Add(created["id"]!.GetValue<string>());
            tenant.UserNames.Add(userName);
        }
        (await scim.PatchAsync($"Users/{tenant.MemberIds[2]}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""")).AssertOk();
        foreach (var (group, members) in new[] { ($"{p} Engineering", tenant.MemberIds[..2]), ($"{p} Sales", tenant.MemberIds[2..]) })
        {
            var created = (await scim.PostAsync("Groups", new JsonObject
            {
                ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"), ["displayName"] = group, ["externalId"] = $"{p}-{group.Split(' ')[1]}",
                ["members"] = new JsonArray(members.Select(m => (JsonNode)new JsonObject { ["value"] = m }).ToArray()),
            }.ToJsonString())).AssertOk(201);
            tenant.GroupIds.Add(created["id"]!.GetValue<string>());
            tenant.GroupNames.Add(group);
        }
        await host.Directory.Roles.MapAsync(scim.Enterprise, tenant.GroupIds[0], "admin", admin);
        (await scim.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}""")).AssertError(400);

        using var api = AdminApiClient.For(host, scim.Enterprise, tenant.ApiKey);
        tenant.EventCursor = (await api.GetAsync("/events?limit=2")).AssertOk()["nextCursor"]!.ToString();
        tenant.MembersCursor = (await api.GetAsync("/members?limit=1")).AssertOk()["nextCursor"]!.GetValue<string>();
        tenant.ScimUsersCursor = (await scim.GetAsync("Users?count=1&cursor=")).AssertOk()["nextCursor"]!.GetValue<string>();
        return tenant;
    }

    public Task<string> SnapshotOfBAsync() => DatabaseSnapshot.TakeAsync(Host.Directory.Database, B.Enterprise.Id);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await receiver.DisposeAsync();
    }
}
