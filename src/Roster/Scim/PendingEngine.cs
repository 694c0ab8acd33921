using System.Text.Json.Nodes;
using Roster.Directory.Storage;
using Roster.Scim.Schema;

namespace Roster.Scim;

// Temporary until the filter and PATCH engine land.
internal static class MemberFilter
{
    public static SqlCondition? FromQuery(IQueryCollection query) => null;
}

internal static class MemberPatch
{
    public static JsonNode Parse(JsonNode body, ResourceTypeDefinition type) => body;
    public static JsonObject Apply(JsonNode patch, JsonObject resource, ResourceTypeDefinition type) => (JsonObject)resource.DeepClone();
}

internal sealed class ResponseProjection
{
    public static ResponseProjection FromQuery(IQueryCollection query, ResourceTypeDefinition type) => new();
    public JsonObject Apply(JsonObject resource) => resource;
}
