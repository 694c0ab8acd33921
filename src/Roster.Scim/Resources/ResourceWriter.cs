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
        // In the schema's order, not the store's: PostgreSQL's jsonb keeps keys in an order of its own,
        // and a resource should read the same from either database.
        foreach (var attribute in ScimSchemas.CommonAttributes.Concat(type.Schema.Attributes))
        {
            if (attribute.Name is "id" or "meta" || attribute.Returned == Returned.Never) continue;
            if (attributes[attribute.Name] is { } value) output[attribute.Name] = value.DeepClone();
        }
        foreach (var extension in type.Extensions)
        {
            if (attributes[extension.Schema.Id] is JsonObject values && RenderExtension(extension.Schema, values) is { Count: > 0 } rendered)
                output[extension.Schema.Id] = rendered;
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
        foreach (var attribute in extension.Attributes)
        {
            if (attribute.Returned != Returned.Never && values[attribute.Name] is { } value) output[attribute.Name] = value.DeepClone();
        }
        return output;
    }
}
