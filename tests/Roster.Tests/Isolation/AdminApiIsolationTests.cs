using System.Globalization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Roster.Directory;
using Roster.Testing;
using Roster.Tests.AdminApi;

namespace Roster.Tests.Isolation;

/// <summary>
/// Every route of the admin API (read from the server's own endpoint data source, so that a route
/// added later fails this test until it is covered), called with enterprise A's key: on B's URL it is
/// the 404 of an enterprise that exists nowhere; with B's ids in the path, the query or the body it
/// answers exactly as for ids that exist nowhere; what it lists names nothing of B; and B's rows in
/// the database are the same after as before.
/// </summary>
public sealed class AdminApiIsolationTests(ITestOutputHelper output)
{
    const string Base = "/api/v1/enterprises/{enterpriseId}";

    sealed record Probe(string Route, string Name, Func<AdminApiClient, string, Task<ApiResponse>> Send, Func<Tenant, IEnumerable<string>> OfB, Func<string> Nowhere);

    static string NewId() => Identifiers.NewId();
    static string NoDelivery() => "987654321";

    static Probe[] Probes(Tenant a) =>
    [
        new("GET ", "enterprise", (c, _) => c.GetAsync(), _ => [""], () => ""),
        new("GET /saml", "saml", (c, _) => c.GetAsync("/saml"), _ => [""], () => ""),
        new("PUT /saml", "saml with B's entity id", (c, x) => c.PutAsync("/saml", $$"""{"entityId":"https://idp.example/{{x}}"}"""), b => [b.Enterprise.Slug], () => "zeta"),
        new("GET /scim", "scim", (c, _) => c.GetAsync("/scim"), _ => [""], () => ""),
        new("PUT /scim", "scim switch", (c, _) => c.PutAsync("/scim", """{"enabled":true}"""), _ => [""], () => ""),
        new("GET /scim/tokens", "tokens", (c, _) => c.GetAsync("/scim/tokens"), _ => [""], () => ""),
        new("POST /scim/tokens", "token named as B's", (c, x) => c.PostAsync("/scim/tokens", $$"""{"name":"{{x}}"}"""), b => ["Okta"], () => "Okta"),
        new("DELETE /scim/tokens/{tokenId}", "revoke B's token", (c, x) => c.DeleteAsync($"/scim/tokens/{x}"), b => [b.TokenId], NewId),
        new("GET /members", "members of B's group", (c, x) => c.GetAsync($"/members?group={x}"), b => b.GroupIds, NewId),
        new("GET /members", "members by B's userName", (c, x) => c.GetAsync($"/members?q={Uri.EscapeDataString(x)}"), b => b.UserNames, () => "zed@beta.example"),
        new("GET /members", "members after B's cursor", (c, x) => c.GetAsync($"/members?cursor={Uri.EscapeDataString(x)}"), b => [b.MembersCursor], () => ""),
        new("GET /members/{memberId}", "B's member", (c, x) => c.GetAsync($"/members/{x}"), b => b.MemberIds, NewId),
        new("GET /groups", "groups after B's cursor", (c, x) => c.GetAsync($"/groups?cursor={Uri.EscapeDataString(x)}"), b => [b.MembersCursor], () => ""),
        new("GET /groups/{groupId}", "B's group", (c, x) => c.GetAsync($"/groups/{x}"), b => b.GroupIds, NewId),
        new("GET /role-mappings", "role mappings", (c, _) => c.GetAsync("/role-mappings"), _ => [""], () => ""),
        new("POST /role-mappings", "map B's group by id", (c, x) => c.PostAsync("/role-mappings", $$"""{"group":"{{x}}","role":"admin"}"""), b => b.GroupIds, NewId),
        new("POST /role-mappings", "map B's group by name", (c, x) => c.PostAsync("/role-mappings", $$"""{"group":"{{x}}","role":"admin"}"""), b => b.GroupNames, () => "beta Nowhere"),
        new("DELETE /role-mappings/{groupId}", "unmap B's group", (c, x) => c.DeleteAsync($"/role-mappings/{x}"), b => b.GroupIds, NewId),
        new("GET /provisioning-log", "log of B's member", (c, x) => c.GetAsync($"/provisioning-log?member={Uri.EscapeDataString(x)}"), b => [.. b.MemberIds, .. b.UserNames, .. b.GroupNames], NewId),
        new("GET /provisioning-log", "log before B's entry", (c, x) => c.GetAsync($"/provisioning-log?before={x}"), b => [b.LogEntryIds.Max().ToString(CultureInfo.InvariantCulture)], () => ""),
        new("GET /deprovisioning-policy", "policy", (c, _) => c.GetAsync("/deprovisioning-policy"), _ => [""], () => ""),
        new("PUT /deprovisioning-policy", "policy change", (c, _) => c.PutAsync("/deprovisioning-policy", """{"graceDays":3}"""), _ => [""], () => ""),
        new("GET /domains", "domains", (c, _) => c.GetAsync("/domains"), _ => [""], () => ""),
        new("PUT /domains", "claim B's domain", (c, x) => c.PutAsync("/domains", $$"""{"domains":["acme.example","{{x}}"]}"""), _ => ["beta.example"], () => "zeta.example"),
        new("GET /linking", "linking", (c, _) => c.GetAsync("/linking"), _ => [""], () => ""),
        new("PUT /linking", "linking change", (c, _) => c.PutAsync("/linking", """{"adoptExisting":false}"""), _ => [""], () => ""),
        new("GET /events", "events after B's cursor", (c, x) => c.GetAsync($"/events?after={x}&limit=500"), b => [b.EventCursor], () => ""),
        new("GET /webhooks", "webhooks", (c, _) => c.GetAsync("/webhooks"), _ => [""], () => ""),
        new("POST /webhooks", "webhook to B's address", (c, x) => c.PostAsync("/webhooks", $$"""{"url":"https://hooks.example/{{x}}"}"""), b => [b.Enterprise.Slug], () => "zeta"),
        new("DELETE /webhooks/{endpointId}", "remove B's webhook", (c, x) => c.DeleteAsync($"/webhooks/{x}"), b => [b.WebhookId], NewId),
        new("GET /webhooks/deliveries", "deliveries of B's webhook", (c, x) => c.GetAsync($"/webhooks/deliveries?endpoint={x}"), b => [b.WebhookId], NewId),
        new("GET /webhooks/deliveries", "deliveries before B's", (c, x) => c.GetAsync($"/webhooks/deliveries?before={x}"), b => [b.DeliveryIds.Max().ToString(CultureInfo.InvariantCulture)], () => ""),
        new("GET /webhooks/deliveries/{deliveryId}", "B's delivery", (c, x) => c.GetAsync($"/webhooks/deliveries/{x}"), b => b.DeliveryIds.Select(d => d.ToString(CultureInfo.InvariantCulture)), NoDelivery),
        new("POST /webhooks/deliveries/{deliveryId}/resend", "resend B's delivery", (c, x) => c.PostAsync($"/webhooks/deliveries/{x}/resend", "{}"),
            b => b.DeliveryIds.Select(d => d.ToString(CultureInfo.InvariantCulture)), NoDelivery),
    ];

    /// <summary>A route's own parameters filled with A's ids: the request A's key may make.</summary>
    static string OwnPath(Tenant a, string route) => route
        .Replace("{memberId}", a.MemberIds[0]).Replace("{groupId}", a.GroupIds[0]).Replace("{tokenId}", a.TokenId)
        .Replace("{endpointId}", a.WebhookId).Replace("{deliveryId}", a.DeliveryIds[0].ToString(CultureInfo.InvariantCulture));

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Every_admin_API_route_called_with_As_key_answers_for_Bs_ids_as_for_ids_that_exist_nowhere_and_leaves_B_unchanged(string kind)
    {
        await using var world = await IsolationWorld.CreateAsync(kind);
        var (a, b) = (world.A, world.B);
        using (var bApi = AdminApiClient.For(world.Host, b.Enterprise, b.ApiKey))
            (await bApi.PutAsync("/domains", """{"domains":["beta.example"]}""")).AssertOk();

        // The routes as the server has them, not as anyone remembers them.
        List<(string Method, string Route)> routes;
        await using (var instance = await world.Host.StartAnotherInstanceAsync())
        {
            routes = instance.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Where(e => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith("/api/v1", StringComparison.Ordinal))
                .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (m, ("/" + e.RoutePattern.RawText!.Trim('/')))))
                .Distinct().OrderBy(r => r.Item2).ThenBy(r => r.m).ToList();
        }
        var probes = Probes(a);
        var uncovered = routes.Where(r => !r.Route.StartsWith(Base, StringComparison.Ordinal) || probes.All(p => p.Route != $"{r.Method} {r.Route[Base.Length..]}")).ToList();
        Assert.True(uncovered.Count == 0, "Admin API routes no isolation probe covers: " + string.Join(", ", uncovered.Select(r => $"{r.Method} {r.Route}")));
        Assert.All(probes, p => Assert.Contains(routes, r => $"{r.Method} {r.Route[Base.Length..]}" == p.Route));

        var before = await world.SnapshotOfBAsync();
        var requests = 0;

        // 1. A's key on B's URL, by slug and by id, on every route: the 404 of an enterprise that exists nowhere.
        foreach (var (method, route) in routes)
        {
            var path = OwnPath(a, route[Base.Length..]);
            var body = method is "POST" or "PUT" ? "{}" : null;
            var answers = new List<ApiResponse>();
            foreach (var target in new[] { b.Enterprise.Slug, b.Enterprise.Id, "zeta", NewId() })
            {
                using var api = new AdminApiClient(world.Host, target, $"Bearer {a.ApiKey}");
                answers.Add(await api.SendAsync(new HttpMethod(method), path, body));
                requests++;
            }
            foreach (var answer in answers) answer.AssertProblem(404);
            Assert.Single(answers.Select(r => r.Body).Distinct());
        }

        // 2. B's ids and names in A's own requests: as ids and names that exist nowhere.
        using var own = AdminApiClient.For(world.Host, a.Enterprise, a.ApiKey);
        var compared = 0;
        foreach (var probe in probes)
        foreach (var ofB in probe.OfB(b))
        {
            var nowhere = probe.Nowhere();
            var answerB = await probe.Send(own, ofB);
            var answerNowhere = ofB.Length == 0 ? answerB : await probe.Send(own, nowhere);
            requests += ofB.Length == 0 ? 1 : 2;
            Assert.True(answerB.Status < 500, $"{probe.Route} ({probe.Name}): {answerB.Status} {answerB.Body}");
            if (ofB.Length > 0 && nowhere.Length > 0)
            {
                Assert.True(AnswerShape.Of(answerB.Status, answerB.ContentType, answerB.Body, ofB) ==
                            AnswerShape.Of(answerNowhere.Status, answerNowhere.ContentType, answerNowhere.Body, nowhere),
                    $"{probe.Route} ({probe.Name}): B's {ofB} answered\n{answerB.Status} {answerB.Body}\none of nowhere answered\n{answerNowhere.Status} {answerNowhere.Body}");
                compared++;
            }
            AnswerShape.AssertMentionsNothingOf(b, "beta", answerB.Body, ofB, $"{probe.Route} ({probe.Name})");
        }

        Assert.Equal(before, await world.SnapshotOfBAsync());
        output.WriteLine($"{routes.Count} routes, {probes.Length} probes, {compared} answer pairs compared, {requests} requests with A's key; B unchanged");
    }
}
