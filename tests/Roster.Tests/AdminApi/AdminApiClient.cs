using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;

namespace Roster.Tests.AdminApi;

/// <summary>The admin API as a script calls it: real HTTP to a <see cref="RosterTestHost"/>, with a key
/// (or a raw Authorization header) and the enterprise's part of the path filled in.</summary>
public sealed class AdminApiClient(RosterTestHost host, string enterpriseIdOrSlug, string? authorization) : IDisposable
{
    readonly HttpClient http = new() { BaseAddress = host.BaseAddress };

    public static AdminApiClient For(RosterTestHost host, Enterprise enterprise, string key) => new(host, enterprise.Slug, $"Bearer {key}");

    public string EnterprisePath => $"/api/v1/enterprises/{Uri.EscapeDataString(enterpriseIdOrSlug)}";

    public Task<ApiResponse> GetAsync(string path = "") => SendAsync(HttpMethod.Get, path, null);
    public Task<ApiResponse> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json);
    public Task<ApiResponse> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);
    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    /// <param name="path">Relative to the enterprise ("/members"), or "" for the enterprise itself.</param>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, EnterprisePath + path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await http.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    public void Dispose() => http.Dispose();
}

/// <summary>An admin API response, read whole.</summary>
public sealed record ApiResponse(int Status, string? ContentType, string Body, HttpResponseHeaders Headers)
{
    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response) => new(
        (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), response.Headers);

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException($"Not JSON: {Body}");

    public JsonNode AssertOk(int status = 200)
    {
        Assert.True(Status == status, $"Expected {status}, got {Status}: {Body}");
        Assert.Equal("application/json", ContentType);
        return Json;
    }

    /// <summary>Asserts an RFC 9457 problem: the status, the problem content type, type, title, the
    /// status repeated, and a detail; returns the detail.</summary>
    public string AssertProblem(int status)
    {
        Assert.True(Status == status, $"Expected {status}, got {Status}: {Body}");
        Assert.Equal("application/problem+json", ContentType);
        var json = Json.AsObject();
        Assert.Equal("about:blank", json["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(json["title"]!.GetValue<string>()));
        Assert.Equal(status, json["status"]!.GetValue<int>());
        var detail = json["detail"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        Assert.DoesNotContain("   at ", Body); // no stack trace
        return detail;
    }
}
