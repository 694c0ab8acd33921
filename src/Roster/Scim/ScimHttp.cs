using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Roster.Directory.Provisioning;
using Roster.Scim.Errors;

namespace Roster.Scim;

/// <summary>Reading SCIM requests and writing SCIM responses over HTTP (RFC 7644 §3.1, §8).</summary>
internal static class ScimHttp
{
    public const string ContentType = "application/scim+json";

    /// <summary>Larger bodies than this are refused before they are parsed: no SCIM User comes near it.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    // The body is JSON, never HTML: escaping quotes and apostrophes as \u0022 would only hurt readability.
    static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = Roster.Scim.Discovery.RequestLimits.JsonDepth, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The request body as JSON. Okta sends <c>application/scim+json</c> and its test suite
    /// <c>application/json</c>; both (and a body without a content type) are read the same.</summary>
    public static Task<JsonNode> ReadJsonAsync(ScimRequest request) => ReadJsonAsync(request.Http.Request, request.Attempt, request.Aborted);

    /// <param name="attempt">Given the bytes read (a reference to the buffer, not a copy), so that a
    /// failure's log entry can show the request as sent.</param>
    public static async Task<JsonNode> ReadJsonAsync(HttpRequest request, ProvisioningAttempt? attempt, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType;
        if (contentType is not null && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
            throw new ScimException(415, null, $"The Content-Type '{contentType}' is not supported: send {ContentType} or application/json.");
        if (request.ContentLength > MaxBodyBytes)
            throw new ScimException(413, null, $"The request body is larger than {MaxBodyBytes} bytes.");

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await ReadChunkAsync(request, chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                if (attempt is not null) attempt.RequestBody = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
                throw new ScimException(413, null, $"The request body is larger than {MaxBodyBytes} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        if (attempt is not null) attempt.RequestBody = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (buffer.Length == 0) throw ScimException.InvalidSyntax("The request body is empty; a JSON object was expected.");

        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ParseOptions);
            return ToNode(document.RootElement);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : "";
            throw ScimException.InvalidSyntax($"The request body is not valid JSON{where}.");
        }
        catch (DecoderFallbackException)
        {
            throw ScimException.InvalidSyntax("The request body is not valid UTF-8.");
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json accepts an escaped lone surrogate ("\ud800") when parsing and throws
            // only when the string is read: text that has no UTF-8 form.
            throw ScimException.InvalidSyntax("The request body holds a string that is not valid Unicode (an unpaired surrogate escape).");
        }
    }

    /// <summary>Kestrel's own refusals while the body is read (a client sending slower than the minimum
    /// data rate, a body over the server's limit) are the client's fault, answered as SCIM errors.</summary>
    static async Task<int> ReadChunkAsync(HttpRequest request, byte[] chunk, CancellationToken cancellationToken)
    {
        try
        {
            return await request.Body.ReadAsync(chunk, cancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            var status = e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400;
            throw new ScimException(status, null, status switch
            {
                408 => "The request body did not arrive in time: it came slower than the server's minimum data rate.",
                413 => $"The request body is larger than {MaxBodyBytes} bytes.",
                _ => "The request body could not be read: " + e.Message,
            });
        }
    }

    /// <summary>Builds the node tree by hand so that a repeated key ("active" twice) keeps the last
    /// value, as most JSON readers do, instead of failing deep inside a later step.</summary>
    static JsonNode ToNode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    obj[Acceptable(property.Name)] = property.Value.ValueKind == JsonValueKind.Null ? null : ToNode(property.Value);
                }
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray()) array.Add(item.ValueKind == JsonValueKind.Null ? null : ToNode(item));
                return array;
            case JsonValueKind.String:
                return JsonValue.Create(Acceptable(element.GetString()!));
            case JsonValueKind.True:
                return JsonValue.Create(true);
            case JsonValueKind.False:
                return JsonValue.Create(false);
            case JsonValueKind.Number:
                return element.TryGetInt64(out var integer) ? JsonValue.Create(integer) : JsonValue.Create(element.GetDouble());
            default:
                throw ScimException.InvalidSyntax("The request body must be a JSON object.");
        }
    }

    /// <summary>NUL and lone surrogates are refused wherever they are in the body: no SCIM value holds
    /// them, PostgreSQL cannot store NUL, and a surrogate alone has no UTF-8 form.</summary>
    static string Acceptable(string text) => Roster.Scim.Text.ScimText.IsAcceptable(text)
        ? text
        : throw ScimException.InvalidValue("The request body holds a string with a NUL character or an unpaired surrogate; no SCIM value may.");

    public static async Task WriteAsync(HttpResponse response, int status, JsonNode body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = ContentType;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, WriteOptions);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>If-None-Match (RFC 7644 §3.14): answers 304 with the tag when the client already has
    /// this version, and says whether it did.</summary>
    public static bool AnsweredNotModified(HttpContext http, long version, string etag)
    {
        if (Resources.EntityTagCondition.Parse(http.Request.Headers.IfNoneMatch) is not { } unchanged || !unchanged.Matches(version)) return false;
        http.Response.Headers.ETag = etag;
        http.Response.StatusCode = 304;
        return true;
    }

    public static Task WriteErrorAsync(HttpResponse response, ScimException error, CancellationToken cancellationToken) =>
        WriteAsync(response, error.Status, ScimErrorBody.From(error), cancellationToken);
}
