using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Scim.Schema;

namespace Roster.Scim.Resources;

/// <summary>Renders a stored resource as the client sees it: <c>schemas</c>, <c>id</c>, the attributes,
/// then <c>meta</c>; attributes whose <c>returned</c> is "never" are never written, in an extension
/// either. Only what the resource type defines is written: values of an extension the enterprise
/// no longer declares stay out of responses even if a stored resource still holds some.</summary>
public static class ResourceWriter
{
    public static JsonObject Render(ResourceTypeDefinition type, string id, JsonObject attributes, ResourceMeta meta)
    {
        var schemas = new JsonArray(JsonValue.Create(type.Schema.Id));
        var output = new JsonObject { ["schemas"] = schemas, ["id"] = id };
        foreach (var (key, value) in attributes)
        {
            if (value is null) continue;
            if (type.FindExtension(key) is { } extension)
            {
                if (value is JsonObject values && RenderExtension(extension, values) is { Count: > 0 } rendered) output[extension.Id] = rendered;
                continue;
            }
            var attribute = type.Schema.FindAttribute(key) ?? ScimSchemas.FindCommonAttribute(key);
            if (attribute is null or { Returned: Returned.Never }) continue;
            output[key] = value.DeepClone();
        }
        // RFC 7643 §3: schemas lists the extensions the resource uses, those with something to show.
        foreach (var extension in type.Extensions)
        {
            if (output.ContainsKey(extension.Schema.Id)) schemas.Add(JsonValue.Create(extension.Schema.Id));
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

    static JsonObject RenderExtension(SchemaDefinition extension, JsonObject values)
    {
        var output = new JsonObject();
        foreach (var (name, value) in values)
        {
            if (value is null || extension.FindAttribute(name) is null or { Returned: Returned.Never }) continue;
            output[name] = value.DeepClone();
        }
        return output;
    }
}
