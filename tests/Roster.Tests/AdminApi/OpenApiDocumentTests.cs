using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Roster.Testing;

namespace Roster.Tests.AdminApi;

/// <summary>/openapi/v1.json describes the admin API (and only it) with the bearer scheme; the reference
/// page and its assets come from Roster itself under a CSP without inline script or style.</summary>
public sealed partial class OpenApiDocumentTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_document_lists_the_admin_API_paths_only_with_the_bearer_scheme_summaries_and_response_types(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>());
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.All(paths, path => Assert.StartsWith("/api/v1/enterprises/{enterpriseId}", path));
        foreach (var expected in new[]
                 {
                     "", "/saml", "/scim", "/scim/tokens", "/scim/tokens/{tokenId}", "/members", "/members/{memberId}", "/groups", "/groups/{groupId}",
                     "/role-mappings", "/role-mappings/{groupId}", "/provisioning-log", "/deprovisioning-policy", "/domains", "/linking",
                 })
            Assert.Contains("/api/v1/enterprises/{enterpriseId}" + expected, paths);

        var scheme = document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal(("http", "bearer"), (scheme["type"]!.GetValue<string>(), scheme["scheme"]!.GetValue<string>()));
        Assert.NotNull(Assert.Single(document["security"]!.AsArray())!["bearer"]);

        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
        {
            Assert.False(string.IsNullOrWhiteSpace(operation!["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.ContainsKey("401") && responses.ContainsKey("404"), $"{method} {path} does not list 401 and 404");
            Assert.Contains(responses, r => r.Key.StartsWith('2') && r.Value!["content"]?["application/json"] is not null);
        }
        var members = document["paths"]!["/api/v1/enterprises/{enterpriseId}/members"]!["get"]!;
        Assert.Equal(["q", "status", "role", "group", "source", "limit", "cursor"],
            members["parameters"]!.AsArray().Where(p => p!["in"]!.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>()));
        Assert.NotNull(document["paths"]!["/api/v1/enterprises/{enterpriseId}/scim/tokens"]!["post"]!["responses"]!["201"]);
        var policyBody = document["paths"]!["/api/v1/enterprises/{enterpriseId}/deprovisioning-policy"]!["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal(["onDeactivate", "onDelete", "graceDays"], policyBody["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("integer", policyBody["properties"]!["graceDays"]!["type"]!.ToJsonString());
        Assert.DoesNotContain("string", policyBody["properties"]!["graceDays"]!["type"]!.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_reference_page_and_its_assets_are_served_with_a_CSP_and_name_no_external_address(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var bodies = new Dictionary<string, string>();
        foreach (var (path, type) in new[]
                 {
                     ("/api/reference", "text/html"), ("/api/reference/reference.js", "text/javascript"), ("/api/reference/reference.css", "text/css"),
                 })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'none'", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("style-src 'self'", csp);
            Assert.Contains("connect-src 'self'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(ExternalAddress(), body);
            bodies[path] = body;
        }
        var html = bodies["/api/reference"];
        // Every script comes from a file (no inline script, no handler attributes) and no element carries a style.
        Assert.All(ScriptTag().Matches(html), tag => Assert.Matches("src=\"/api/reference/reference.js\"", tag.Value));
        Assert.DoesNotMatch(" on[a-z]+=", html);
        Assert.DoesNotContain("style=", html);
        Assert.DoesNotContain("<style", html);
        Assert.Contains("href=\"/api/reference/reference.css\"", html);
        Assert.Contains("id=\"api-key\"", html);
        Assert.Contains("/openapi/v1.json", bodies["/api/reference/reference.js"]);
        Assert.Contains("Try it", bodies["/api/reference/reference.js"]);
    }

    /// <summary>An address of another site: a scheme with //, or a protocol-relative //host.</summary>
    [GeneratedRegex(@"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalAddress();

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}
