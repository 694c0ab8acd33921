using System.Text.Json.Nodes;
using Roster.Scim.Schema;

namespace Roster.Scim.Resources;

/// <summary>The ListResponse message (RFC 7644 §3.4.2). The paging numbers are JSON integers, which
/// Okta's tests check.</summary>
public static class ListResponse
{
    public static JsonObject Create(IEnumerable<JsonNode> resources, long totalResults, int startIndex)
    {
        var array = new JsonArray();
        foreach (var resource in resources) array.Add(resource);
        return new JsonObject
        {
            ["schemas"] = new JsonArray(JsonValue.Create(ScimSchemas.ListResponseUrn)),
            ["totalResults"] = totalResults,
            ["itemsPerPage"] = array.Count,
            ["startIndex"] = startIndex,
            ["Resources"] = array,
        };
    }

    /// <summary>A page of cursor paging (RFC 9865 §3): no startIndex; the cursors of the pages on
    /// either side, where there are such pages.</summary>
    public static JsonObject CreateForCursor(IEnumerable<JsonNode> resources, long totalResults, string? nextCursor, string? previousCursor)
    {
        var array = new JsonArray();
        foreach (var resource in resources) array.Add(resource);
        var response = new JsonObject
        {
            ["schemas"] = new JsonArray(JsonValue.Create(ScimSchemas.ListResponseUrn)),
            ["totalResults"] = totalResults,
            ["itemsPerPage"] = array.Count,
        };
        if (nextCursor is not null) response["nextCursor"] = nextCursor;
        if (previousCursor is not null) response["previousCursor"] = previousCursor;
        response["Resources"] = array;
        return response;
    }
}
