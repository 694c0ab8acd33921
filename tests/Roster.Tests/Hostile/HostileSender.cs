using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Roster.Tests.Hostile;

/// <summary>Sends a <see cref="HostileRequest"/> as written and checks its answer: never a 5xx, never
/// a hang, and an error always an RFC 7644 §3.12 SCIM Error.</summary>
public static class HostileSender
{
    /// <summary>A request not answered within this is a hang, and fails the test.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    static readonly HashSet<string> ScimTypes =
        ["invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax", "invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive",
        // RFC 9865 §3's, for cursors.
        "invalidCursor", "expiredCursor"];

    public static async Task<ScimResponse> SendAsync(ScimClient client, HostileRequest request)
    {
        // The target as written: HttpClient would re-escape a relative string; an absolute Uri built
        // with dontEscape keeps invalid escapes (%FF, %00) on the wire.
        var uri = new Uri(client.Http.BaseAddress + request.Target, UriKind.Absolute);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null) message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
        }
        message.Headers.Accept.ParseAdd(ScimClient.ScimJson);
        using var timeout = new CancellationTokenSource(HangGuard);
        HttpResponseMessage response;
        try
        {
            response = await client.Http.SendAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"No answer within {HangGuard.TotalSeconds} s (a hang): {request.Describe()}");
        }
        using (response) return await ScimResponse.ReadAsync(response);
    }

    /// <summary>The answer is a 4xx SCIM Error: schemas, status as a string equal to the HTTP status,
    /// a detail, and for a 400 one of RFC 7644's scimTypes.</summary>
    public static void AssertScimError(ScimResponse response, HostileRequest request)
    {
        var context = $"{request.Describe()}\n  answered {response.Status}: {Shorten(response.Body)}";
        Assert.True(response.Status is >= 400 and < 500, $"Expected a 4xx: {context}");
        Assert.True(response.ContentType == ScimClient.ScimJson, $"Not {ScimClient.ScimJson}: {context}");
        JsonObject json;
        try
        {
            json = response.Json;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new Xunit.Sdk.XunitException($"Not a JSON object: {context}");
        }
        Assert.True(json["schemas"] is JsonArray schemas && schemas.Any(s => s?.GetValue<string>() == "urn:ietf:params:scim:api:messages:2.0:Error"),
            $"No Error schema: {context}");
        Assert.True(json["status"]?.GetValue<string>() == response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Status differs: {context}");
        Assert.True(!string.IsNullOrWhiteSpace(json["detail"]?.GetValue<string>()), $"No detail: {context}");
        if (response.Status == 400)
            Assert.True(json["scimType"]?.GetValue<string>() is { } scimType && ScimTypes.Contains(scimType), $"A 400 without an RFC 7644 scimType: {context}");
    }

    public static string Shorten(string text) => text.Length > 400 ? text[..400] + "..." : text;
}
