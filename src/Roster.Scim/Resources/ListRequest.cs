using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;

namespace Roster.Scim.Resources;

public enum SortOrder { Ascending, Descending }

/// <summary>
/// What a list or search asks for (RFC 7644 §3.4.2, §3.4.3): the same whether it came as a GET's
/// query string or a POST to <c>.search</c>. Paging numbers follow §3.4.2.4: a start below 1 is 1, a
/// negative count is 0, and a count above the advertised maximum is that maximum.
/// </summary>
/// <remarks><see cref="Cursor"/> is null for index paging, "" for the first page of cursor paging
/// (RFC 9865 §2: <c>cursor</c> given without a value), and a cursor from an earlier page otherwise.</remarks>
public sealed record ListRequest(
    string? Filter, int StartIndex, int Count, string? Attributes, string? ExcludedAttributes, string? SortBy, SortOrder SortOrder,
    string? Cursor = null)
{
    public const int DefaultCount = 100;
    public const int MaxCount = 1000;

    public static ListRequest FromQuery(IEnumerable<KeyValuePair<string, string?>> query)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in query) values[key] = value;
        return new ListRequest(
            Filter: values.GetValueOrDefault("filter"),
            StartIndex: ClampStart(ParseInteger(values.GetValueOrDefault("startIndex"), "startIndex")),
            Count: ClampCount(ParseInteger(values.GetValueOrDefault("count"), "count")),
            Attributes: values.GetValueOrDefault("attributes"),
            ExcludedAttributes: values.GetValueOrDefault("excludedAttributes"),
            SortBy: Blank(values.GetValueOrDefault("sortBy")),
            SortOrder: ParseSortOrder(values.GetValueOrDefault("sortOrder")),
            Cursor: CheckCursor(values.TryGetValue("cursor", out var cursor) ? cursor?.Trim() ?? "" : null, values.ContainsKey("startIndex")));
    }

    /// <summary>Index and cursor paging are two ways through one result, not to be mixed in a request.</summary>
    static string? CheckCursor(string? cursor, bool hasStartIndex) =>
        cursor is not null && hasStartIndex
            ? throw ScimException.InvalidValue("Page with startIndex or with cursor, not both.")
            : cursor;

    /// <summary>A SearchRequest body (RFC 7644 §3.4.3).</summary>
    public static ListRequest FromSearchBody(JsonNode? body)
    {
        if (body is not JsonObject search) throw ScimException.InvalidSyntax("A search request must be a JSON object.");
        var schemas = Get(search, "schemas") as JsonArray;
        if (schemas is null || !schemas.Any(s => s is JsonValue v && v.TryGetValue<string>(out var urn)
                && string.Equals(urn, ScimSchemas.SearchRequestUrn, StringComparison.OrdinalIgnoreCase)))
            throw ScimException.InvalidSyntax($"A search request must carry \"schemas\": [\"{ScimSchemas.SearchRequestUrn}\"].");

        return new ListRequest(
            Filter: Text(search, "filter"),
            StartIndex: ClampStart(Integer(search, "startIndex")),
            Count: ClampCount(Integer(search, "count")),
            Attributes: List(search, "attributes"),
            ExcludedAttributes: List(search, "excludedAttributes"),
            SortBy: Blank(Text(search, "sortBy")),
            SortOrder: ParseSortOrder(Text(search, "sortOrder")),
            Cursor: CheckCursor(Get(search, "cursor") is null ? null : Text(search, "cursor") ?? "", Get(search, "startIndex") is not null));
    }

    /// <summary>The attribute <c>sortBy</c> names, resolved against the resource type, or null when the
    /// request does not sort. A path with a value filter is not an attribute to sort by.</summary>
    public AttributePath? SortAttribute(ResourceTypeDefinition type)
    {
        if (SortBy is not { } sortBy) return null;
        PatchPath path;
        try
        {
            path = ScimPathParser.Parse(sortBy, type);
        }
        catch (ScimException e)
        {
            throw ScimException.InvalidValue($"sortBy: {e.Detail}");
        }
        if (path.ValueFilter is not null) throw ScimException.InvalidValue($"sortBy '{sortBy}' must be an attribute, without a filter.");
        return path.Attribute;
    }

    static int ClampStart(long? value) => (int)Math.Clamp(value ?? 1, 1, int.MaxValue);

    static int ClampCount(long? value) => (int)Math.Clamp(value ?? DefaultCount, 0, MaxCount);

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    static SortOrder ParseSortOrder(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "ascending" => SortOrder.Ascending,
        "descending" => SortOrder.Descending,
        _ => throw ScimException.InvalidValue($"'sortOrder' must be \"ascending\" or \"descending\", not '{text}'."),
    };

    static long? ParseInteger(string? text, string name)
    {
        if (text is null) return null;
        text = text.Trim();
        if (text.Length == 0) return null;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        // Huge numbers are still numbers: clamp rather than refuse.
        if (text.TrimStart('-', '+').Length > 0 && text.TrimStart('-', '+').All(char.IsAsciiDigit)) return text.StartsWith('-') ? long.MinValue : long.MaxValue;
        throw ScimException.InvalidValue($"'{name}' must be an integer, not '{text}'.");
    }

    static JsonNode? Get(JsonObject search, string name)
    {
        foreach (var (key, value) in search)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        }
        return null;
    }

    static string? Text(JsonObject search, string name) => Get(search, name) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw ScimException.InvalidValue($"'{name}' must be a string."),
    };

    static long? Integer(JsonObject search, string name) => Get(search, name) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.TryGetValue<double>(out var d) && Math.Floor(d) == d => (long)Math.Clamp(d, long.MinValue, long.MaxValue),
        JsonValue v when v.TryGetValue<string>(out var s) => ParseInteger(s, name),
        _ => throw ScimException.InvalidValue($"'{name}' must be an integer."),
    };

    /// <summary>"attributes" is an array of names in a search body, a comma-separated list in a URL.</summary>
    static string? List(JsonObject search, string name) => Get(search, name) switch
    {
        null => null,
        JsonArray array => string.Join(',', array.Select(item => item is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : throw ScimException.InvalidValue($"'{name}' must be an array of attribute names."))),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw ScimException.InvalidValue($"'{name}' must be an array of attribute names."),
    };
}
