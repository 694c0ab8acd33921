using Roster.Operations;
using Roster.Testing;

namespace Roster.Tests.Operations;

/// <summary>/metrics in Prometheus text: Roster's SCIM instruments, tagged by operation, resource
/// type, IdP and status class, and nothing that identifies a member or a token.</summary>
public sealed class MetricsTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Metrics_count_SCIM_requests_by_operation_and_IdP_and_hold_no_user_data(string kind)
    {
        await using var server = await OperationsTestServer.StartAsync(kind, OperationsOptions.Default);
        var okta = await server.CreateEnterpriseAsync("Acme Metrics");
        var entra = await server.TokenClientAsync(okta.Enterprise, "Azure AD SCIM Provisioning");
        var stranger = await server.TokenClientAsync(okta.Enterprise, "curl/8.0 sent-by-ann.metrics@acme.example");

        var created = (await okta.PostAsync("Users", """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann.metrics@acme.example",
             "emails":[{"value":"ann.metrics@acme.example","primary":true}],"active":true}
            """)).AssertOk(201);
        var id = created["id"]!.GetValue<string>();
        (await okta.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"ann.metrics@acme.example\""))).AssertOk();
        (await entra.PatchAsync($"Users/{id}", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}
            """)).AssertOk();
        (await stranger.GetAsync($"Users/{id}")).AssertOk();
        (await okta.GetAsync("Users/no-such-id")).AssertError(404);

        using var response = await server.Plain().GetAsync("/metrics");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var requests = text.Split('\n').Where(l => l.StartsWith("roster_scim_requests_total{", StringComparison.Ordinal)).ToList();

        Assert.Contains(requests, l => Has(l, "operation=\"create\"", "resource_type=\"User\"", "idp=\"okta\"", "status_class=\"2xx\""));
        Assert.Contains(requests, l => Has(l, "operation=\"list\"", "idp=\"okta\""));
        Assert.Contains(requests, l => Has(l, "operation=\"patch\"", "idp=\"entra\"", "status_class=\"2xx\""));
        Assert.Contains(requests, l => Has(l, "operation=\"get\"", "idp=\"other\""));
        Assert.Contains(requests, l => Has(l, "operation=\"get\"", "idp=\"okta\"", "status_class=\"4xx\""));
        Assert.Contains("roster_scim_request_duration_seconds_bucket{", text);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("roster_provisioning_outcomes_total{", StringComparison.Ordinal) && l.Contains("outcome=\"succeeded\""));

        Assert.DoesNotContain("ann.metrics", text);
        Assert.DoesNotContain("acme.example", text);
        Assert.DoesNotContain(id, text);
        Assert.DoesNotContain(okta.Token, text);
        Assert.DoesNotContain("acme-metrics", text); // not even the enterprise
    }

    [Theory]
    [InlineData("Okta SCIM Client 1.0.0", "okta")]
    [InlineData("Azure AD SCIM Provisioning", "entra")]
    [InlineData(null, "none")]
    [InlineData("", "none")]
    [InlineData("my-script ann@acme.example", "other")]
    [InlineData("Roster self-test", "roster-self-test")]
    public void The_IdP_tag_is_one_of_a_fixed_few_never_the_agent_itself(string? userAgent, string tag) =>
        Assert.Equal(tag, MetricIdentityProvider.FromUserAgent(userAgent));

    static bool Has(string line, params string[] parts) => parts.All(line.Contains);
}
