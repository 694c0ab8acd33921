using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Roster.AdminApi;

/// <summary>
/// Reading an admin API request: its JSON body and its query parameters, each bad value refused with
/// a detail that names the field. Handlers read the body themselves, after the key was checked: a
/// body bound by the framework would be refused (or accepted) before authentication.
/// </summary>
public static partial class ApiRequest
{
    /// <summary>The API's JSON, both ways: camelCase, and an unknown field is an error (a typo would
    /// otherwise be silently ignored).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // A number is a JSON number: "30" is refused, as the OpenAPI document says (integer, not string).
        NumberHandling = JsonNumberHandling.Strict,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <exception cref="ApiRequestException">Not JSON, not an object of <typeparamref name="T"/>'s fields, or a field of the wrong type.</exception>
    public static async Task<T> ReadJsonAsync<T>(this HttpContext context) where T : class
    {
        if (!context.Request.HasJsonContentType())
            throw new ApiRequestException(StatusCodes.Status415UnsupportedMediaType, "Send the body as JSON, with 'Content-Type: application/json'.");
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Json, context.RequestAborted)
                   ?? throw ApiRequestException.BadRequest("The body is null; send a JSON object.");
        }
        catch (JsonException e)
        {
            throw ApiRequestException.BadRequest(Explain(e));
        }
    }

    static string Explain(JsonException e)
    {
        if (UnknownMember().Match(e.Message) is { Success: true } unknown)
            return $"The body has a field '{unknown.Groups[1].Value}' this operation does not take.";
        var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        if (field is not null) return $"The field '{field}' has a value of the wrong type, or the JSON is malformed there.";
        return e.LineNumber is { } line
            ? $"The body is not a JSON object of this operation's fields (line {line + 1}, byte {e.BytePositionInLine + 1})."
            : "The body is not a JSON object of this operation's fields.";
    }

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnknownMember();

    /// <summary>A query parameter as text (null when absent or empty), refused when longer than <paramref name="maxLength"/> or holding a control character.</summary>
    public static string? QueryText(this HttpContext context, string name, int maxLength = 256)
    {
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0) return null;
        if (text.Length > maxLength) throw ApiRequestException.BadRequest($"The query parameter '{name}' is longer than {maxLength} characters.");
        if (text.Any(char.IsControl)) throw ApiRequestException.BadRequest($"The query parameter '{name}' holds a control character.");
        return text;
    }

    /// <summary>A whole-number query parameter from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="fallback"/> when absent.</summary>
    public static long QueryNumber(this HttpContext context, string name, long min, long max, long fallback) =>
        context.QueryText(name, 20) is not { } text ? fallback
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw ApiRequestException.BadRequest($"The query parameter '{name}' is a whole number from {min} to {max}, not '{text}'.");

    public static long? QueryNumber(this HttpContext context, string name, long min, long max) =>
        context.QueryText(name, 20) is null ? null : context.QueryNumber(name, min, max, 0);

    /// <summary>A time query parameter: ISO 8601 with an offset or Z (2026-11-28T14:30:00Z), or a date (midnight UTC).</summary>
    public static DateTimeOffset? QueryTime(this HttpContext context, string name)
    {
        if (context.QueryText(name, 40) is not { } text) return null;
        if (DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var time))
            return time;
        throw ApiRequestException.BadRequest($"The query parameter '{name}' is an ISO 8601 time in UTC such as 2026-11-28T14:30:00Z, not '{text}'.");
    }

    /// <summary>ISO 8601 only: a date, or a date and time with Z or an offset (none: UTC).</summary>
    static readonly string[] TimeFormats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>One of <paramref name="allowed"/>, or null when absent.</summary>
    public static string? QueryChoice(this HttpContext context, string name, IReadOnlyList<string> allowed)
    {
        if (context.QueryText(name) is not { } text) return null;
        return allowed.Contains(text, StringComparer.Ordinal)
            ? text
            : throw ApiRequestException.BadRequest($"The query parameter '{name}' is one of {string.Join(", ", allowed)}, not '{text}'.");
    }

    /// <summary>A time as the API writes it: UTC, so that it serialises as ISO 8601 ending in Z.</summary>
    public static DateTime? Utc(DateTimeOffset? time) => time is { } t ? Utc(t) : null;

    /// <summary>To the millisecond, as stored: a time read back later is the time answered now.</summary>
    public static DateTime Utc(DateTimeOffset time) => DateTime.UnixEpoch.AddMilliseconds(time.ToUnixTimeMilliseconds());
}
