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
}
