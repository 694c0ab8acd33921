using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Scim.Schema;

namespace Roster.Scim.Resources;

/// <summary>Renders a stored resource as the client sees it: <c>schemas</c>, <c>id</c>, the attributes,
/// then <c>meta</c>; attributes whose <c>returned</c> is "never" are never written.</summary>
public static class ResourceWriter
{
    public static JsonObject Render(ResourceTypeDefinition type, string id, JsonObject attributes, ResourceMeta meta)
    {
        var schemas = new JsonArray(JsonValue.Create(type.Schema.Id));
        foreach (var extension in type.Extensions)
        {
            if (attributes.ContainsKey(extension.Schema.Id)) schemas.Add(JsonValue.Create(extension.Schema.Id));
        }

        var output = new JsonObject { ["schemas"] = schemas, ["id"] = id };
        foreach (var (key, value) in attributes)
        {
            if (value is null || IsNeverReturned(type, key)) continue;
            output[key] = value.DeepClone();
        }
        output["meta"] = new JsonObject
        {
            ["resourceType"] = type.Name,
            ["created"] = FormatTime(meta.Created),
            ["lastModified"] = FormatTime(meta.LastModified),
            ["location"] = meta.Location,
            ["version"] = meta.ETag,
        };
        return output;
    }

    /// <summary>xsd:dateTime in UTC with the precision the store keeps.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    static bool IsNeverReturned(ResourceTypeDefinition type, string key) =>
        type.Schema.FindAttribute(key) is { Returned: Returned.Never };
}
