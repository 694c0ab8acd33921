using System.Text.Json.Nodes;
using Roster.Directory.Audit;
using Roster.Directory.Events;
using Roster.Testing;
using Roster.Tests.Webhooks;

namespace Roster.Tests.AdminApi;

/// <summary>
/// The event feed and the webhooks over the admin API, on both databases: every change type reaches
/// the product both ways, the same events; a consumer paging from its cursor sees each once, in order;
/// webhook endpoints and deliveries are managed with a key, audited as it; another enterprise's key
/// reads nothing.
/// </summary>
public sealed class EventsAndWebhooksApiTests
{
    const string Deactivate = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""";
    const string Reactivate = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}""";

    static async Task<string> KeyAsync(RosterTestHost host, string slug)
    {
        var created = await CliRunner.RunAsync(host.StoreArguments, "apikey", "create", "--enterprise", slug, "--name", "product");
        Assert.Equal(0, created.ExitCode);
        return created.Json["key"]!.GetValue<string>();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Every_change_type_reaches_the_product_by_pull_and_by_push_the_same_events_each_once(string kind)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await RosterTestHost.StartAsync(kind, webhooks: RosterTestHost.FastWebhooks);
        var okta = await host.CreateEnterpriseAsync("Acme");
        using var api = AdminApiClient.For(host, okta.Enterprise, await KeyAsync(host, "acme"));
        var added = api.PostAsync("/webhooks", $$"""{"url": "{{receiver.Url}}", "description": "the product"}""");
        var endpoint = (await added).AssertOk(201);
        Assert.StartsWith("whsec_", endpoint["secret"]!.GetValue<string>());

        var ann = (await okta.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example","active":true}""")).AssertOk(201)["id"]!.GetValue<string>();
        (await okta.PutAsync($"Users/{ann}", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example","displayName":"Ann Lee","active":true}""")).AssertOk();
        (await okta.PatchAsync($"Users/{ann}", Deactivate)).AssertOk();
        (await okta.PatchAsync($"Users/{ann}", Reactivate)).AssertOk();
        var group = (await okta.PostAsync("Groups", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Admins"}""")).AssertOk(201)["id"]!.GetValue<string>();
        Assert.Contains((await okta.PatchAsync($"Groups/{group}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{ann}}"}]}]}""")).Status, new[] { 200, 204 });
        (await api.PostAsync("/role-mappings", $$"""{"group": "{{group}}", "role": "admin"}""")).AssertOk();
        Assert.Contains((await okta.PatchAsync($"Groups/{group}",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"displayName":"Roster Admins"}}]}""")).Status, new[] { 200, 204 });
        Assert.Contains((await okta.PatchAsync($"Groups/{group}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"{{ann}}\"]"}]}""")).Status, new[] { 200, 204 });
        Assert.Equal(204, (await okta.DeleteAsync($"Groups/{group}")).Status);
        Assert.Equal(204, (await okta.DeleteAsync($"Users/{ann}")).Status);

        // Pull: pages of 3 from cursor 0, each next page from the cursor the last one gave.
        var pulled = new List<JsonObject>();
        var cursor = "0";
        while (true)
        {
            var page = (await api.GetAsync($"/events?after={cursor}&limit=3")).AssertOk();
            var events = page["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
            if (events.Count == 0)
            {
                Assert.Equal(cursor, page["nextCursor"]!.GetValue<string>());
                break;
            }
            pulled.AddRange(events);
            cursor = page["nextCursor"]!.GetValue<string>();
        }
        Assert.Equal(Enumerable.Range(1, pulled.Count).Select(i => i.ToString()), pulled.Select(e => e["cursor"]!.GetValue<string>()));
        Assert.Equal(EventTypes.All.Order(), pulled.Select(e => e["type"]!.GetValue<string>()).Distinct().Order());

        // Push: the same events, byte for byte.
        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count == pulled.Count, $"{pulled.Count} deliveries");
        Assert.Equal(pulled.Select(e => e.ToJsonString()).Order(), receiver.Accepted.Select(e => e.ToJsonString()).Order());

        await WebhookReceiver.WaitForAsync(() => api.GetAsync("/webhooks").Result.Json[0]!["delivered"]!.GetValue<long>() == pulled.Count, "deliveries recorded");
        var deliveries = (await api.GetAsync("/webhooks/deliveries?limit=5")).AssertOk();
        Assert.Equal(5, deliveries["deliveries"]!.AsArray().Count);
        var older = (await api.GetAsync($"/webhooks/deliveries?limit=5&before={deliveries["nextBefore"]}")).AssertOk();
        Assert.True(older["deliveries"]![0]!["id"]!.GetValue<long>() < deliveries["deliveries"]![4]!["id"]!.GetValue<long>());
        var first = deliveries["deliveries"]![0]!["id"]!.GetValue<long>();
        var detail = (await api.GetAsync($"/webhooks/deliveries/{first}")).AssertOk();
        Assert.Equal(200, detail["attempts"]![0]!["status"]!.GetValue<int>());
        var resent = (await api.PostAsync($"/webhooks/deliveries/{first}/resend", "")).AssertOk();
        Assert.Equal("pending", resent["state"]!.GetValue<string>());

        Assert.Equal(endpoint["id"]!.GetValue<string>(), (await api.DeleteAsync($"/webhooks/{endpoint["id"]}")).AssertOk()["id"]!.GetValue<string>());
        Assert.Equal(404, (await api.DeleteAsync($"/webhooks/{endpoint["id"]}")).Status);
        var audit = await host.Directory.Audit.ListAsync(okta.Enterprise, 20);
        Assert.Contains(audit, e => e.Action == AdminAction.WebhookAdded && e.Actor.StartsWith("API key product"));
        Assert.Contains(audit, e => e.Action == AdminAction.WebhookDeliveryResent && e.Actor.StartsWith("API key product"));
        Assert.Contains(audit, e => e.Action == AdminAction.WebhookRemoved && e.Actor.StartsWith("API key product"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Bad_cursors_and_urls_are_problems_and_another_enterprise_s_key_reads_nothing(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.CreateEnterpriseAsync("Acme");
        var globex = await host.CreateEnterpriseAsync("Globex");
        (await acme.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example"}""")).AssertOk(201);
        using var api = AdminApiClient.For(host, acme.Enterprise, await KeyAsync(host, "acme"));
        using var theirs = new AdminApiClient(host, "acme", $"Bearer {await KeyAsync(host, "globex")}");

        Assert.Contains("'after'", (await api.GetAsync("/events?after=-1")).AssertProblem(400));
        Assert.Contains("'limit'", (await api.GetAsync("/events?limit=5000")).AssertProblem(400));
        Assert.Contains("https", (await api.PostAsync("/webhooks", """{"url": "http://product.example/hooks"}""")).AssertProblem(400));
        Assert.Contains("not an event type", (await api.PostAsync("/webhooks", """{"url": "https://product.example/hooks", "eventTypes": ["member.exploded"]}""")).AssertProblem(400));
        Assert.Equal(404, (await api.GetAsync("/webhooks/deliveries/999")).Status);

        // Globex's key on Acme's feed: the 404 of an enterprise that does not exist.
        Assert.Equal(404, (await theirs.GetAsync("/events")).Status);
        Assert.Equal(404, (await theirs.GetAsync("/webhooks")).Status);
        Assert.Single((await api.GetAsync("/events")).AssertOk()["events"]!.AsArray());
        Assert.Empty(await host.Directory.Webhooks.ListAsync(globex.Enterprise));
    }
}
