using System.Text.Json.Nodes;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;

namespace Roster.Scim.Json;

/// <summary>
/// Where an attribute's value sits in a resource object: core and common attributes at the top level,
/// extension attributes inside the object under the extension URN, and the sub-attributes of a value
/// filter inside the element being tested. Writing into an extension keeps <c>schemas</c> in step: the URN
/// is listed while the extension has values and dropped when it has none (RFC 7643 §3).
/// </summary>
internal static class AttributeContainers
{
    /// <summary>The object holding <paramref name="path"/>'s attribute, or null if there is none.</summary>
    public static JsonObject? Find(JsonNode? node, AttributePath path)
    {
        if (node is not JsonObject obj) return null;
        if (path.Parent is not null || !path.IsExtension) return obj;
        return obj.GetIgnoreCase(path.Schema!.Id) as JsonObject;
    }

    /// <summary>The object to write <paramref name="path"/>'s attribute into, creating the extension object
    /// (and listing its URN in <c>schemas</c>) when needed.</summary>
    public static JsonObject GetOrCreate(JsonObject resource, AttributePath path)
    {
        if (!path.IsExtension) return resource;
        var urn = path.Schema!.Id;
        if (resource.GetIgnoreCase(urn) is JsonObject existing) return existing;
        var created = new JsonObject();
        resource.SetCanonical(urn, created);
        if (resource.GetIgnoreCase(ScimSchemas.SchemasAttribute.Name) is JsonArray schemas && !Contains(schemas, urn))
        {
            schemas.Add(JsonValue.Create(urn));
        }
        return created;
    }

    /// <summary>Drops an extension object that no longer holds any value, and its URN from <c>schemas</c>.</summary>
    public static void RemoveIfEmpty(JsonObject resource, AttributePath path, JsonObject container)
    {
        if (!path.IsExtension || ReferenceEquals(container, resource) || container.HasAnyValue()) return;
        var urn = path.Schema!.Id;
        resource.RemoveIgnoreCase(urn);
        if (resource.GetIgnoreCase(ScimSchemas.SchemasAttribute.Name) is JsonArray schemas)
        {
            for (var i = schemas.Count - 1; i >= 0; i--)
            {
                if (schemas[i] is JsonValue value && value.TryGetValue<string>(out var s)
                    && string.Equals(s, urn, StringComparison.OrdinalIgnoreCase))
                {
                    schemas.RemoveAt(i);
                }
            }
        }
    }

    static bool Contains(JsonArray schemas, string urn)
    {
        foreach (var item in schemas)
        {
            if (item is JsonValue value && value.TryGetValue<string>(out var s)
                && string.Equals(s, urn, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
