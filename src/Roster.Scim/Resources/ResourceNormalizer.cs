using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Schema;

namespace Roster.Scim.Resources;

/// <summary>
/// Turns a resource as a client sent it into Roster's canonical form: attribute names in the schema's
/// case, extension attributes under their URN, values of the declared type, nulls gone (RFC 7643
/// §2.5: null is "unassigned"), and nothing the client may not write: read-only
/// attributes (<c>id</c>, <c>meta</c>, <c>groups</c>) that Okta echoes back on PUT are dropped, as are
/// write-only ones such as <c>password</c> (accepted, never kept) and attributes no schema defines.
/// </summary>
/// <remarks>
/// The canonical form is what the store keeps and what a PATCH operates on, so every writer (POST,
/// PUT, PATCH) ends in <see cref="Normalize"/> and every resource in the database has one shape.
/// </remarks>
public static class ResourceNormalizer
{
    /// <summary>Normalizes a request body. <c>schemas</c> is required (RFC 7643 §3) and must name the
    /// resource type's core schema; extension attributes are kept for the extensions it declares.</summary>
    public static JsonObject NormalizeRequestBody(JsonNode? body, ResourceTypeDefinition type)
    {
        if (body is not JsonObject input)
            throw ScimException.InvalidSyntax($"The request body must be a JSON object representing a {type.Name}.");

        var schemas = ReadSchemas(input);
        if (schemas is null)
            throw ScimException.InvalidSyntax($"The request body must carry \"schemas\" with \"{type.Schema.Id}\".");
        if (!schemas.Any(s => string.Equals(s, type.Schema.Id, StringComparison.OrdinalIgnoreCase)))
            throw ScimException.InvalidSyntax($"\"schemas\" must include \"{type.Schema.Id}\".");

        return Normalize(input, type);
    }

    /// <summary>Normalizes a resource object (a request body or the result of a PATCH) and checks the
    /// required attributes.</summary>
    public static JsonObject Normalize(JsonObject input, ResourceTypeDefinition type)
    {
        var output = new JsonObject();
        foreach (var (key, value) in input)
        {
            if (value is null) continue;
            var extension = type.FindExtension(key);
            if (extension is not null)
            {
                if (value is not JsonObject extensionObject)
                    throw ScimException.InvalidValue($"\"{extension.Id}\" must be an object of that extension's attributes.");
                var normalizedExtension = NormalizeAttributes(extensionObject, extension, extension.Id + ":");
                if (normalizedExtension.Count > 0) output[extension.Id] = normalizedExtension;
                continue;
            }
            // A schema-qualified core attribute ("urn:...:core:2.0:User:userName") is that attribute.
            var name = StripSchemaPrefix(key, type.Schema.Id);
            var common = ScimSchemas.FindCommonAttribute(name);
            if (common is not null)
            {
                if (common.Mutability == Mutability.ReadOnly) continue;
                var normalized = NormalizeValue(common, value, common.Name);
                if (normalized is not null) output[common.Name] = normalized;
                continue;
            }
            var attribute = type.Schema.FindAttribute(name);
            if (attribute is null) continue; // unknown to every schema: ignored, as IdPs send what they like
            if (!IsWritable(attribute)) continue;
            var normalizedValue = NormalizeValue(attribute, value, attribute.Name);
            // The same attribute twice under different cases ("emails", "Emails"): the later one wins,
            // as with a repeated key in JSON.
            if (normalizedValue is not null) output[attribute.Name] = normalizedValue;
        }

        foreach (var attribute in type.Schema.Attributes)
        {
            if (attribute.Required && !HasValue(output[attribute.Name]))
                throw ScimException.InvalidValue($"\"{attribute.Name}\" is required and must not be empty.");
        }
        return output;
    }

    static JsonObject NormalizeAttributes(JsonObject input, SchemaDefinition schema, string pathPrefix)
    {
        var output = new JsonObject();
        foreach (var (key, value) in input)
        {
            if (value is null) continue;
            var attribute = schema.FindAttribute(key);
            if (attribute is null || !IsWritable(attribute)) continue;
            var normalized = NormalizeValue(attribute, value, pathPrefix + attribute.Name);
            if (normalized is not null) output[attribute.Name] = normalized;
        }
        foreach (var attribute in schema.Attributes)
        {
            if (attribute.Required && !HasValue(output[attribute.Name]))
                throw ScimException.InvalidValue($"\"{pathPrefix}{attribute.Name}\" is required and must not be empty.");
        }
        return output;
    }

    static bool IsWritable(AttributeDefinition attribute) =>
        attribute.Mutability is Mutability.ReadWrite or Mutability.Immutable;

    /// <summary>Coerces one value to the attribute's declared type, by the same rules a PATCH value
    /// follows (<see cref="Patching.AttributeValueCoercer"/>); null means "unassigned".</summary>
    public static JsonNode? NormalizeValue(AttributeDefinition attribute, JsonNode? value, string path)
    {
        var coerced = Patching.AttributeValueCoercer.CoerceValue(attribute, value, path);
        if (coerced is JsonArray elements) EnsureSinglePrimary(elements);
        return coerced;
    }

    /// <summary>At most one value of a multi-valued attribute may be primary (RFC 7643 §2.4); the first
    /// one marked wins.</summary>
    static void EnsureSinglePrimary(JsonArray values)
    {
        var seen = false;
        foreach (var item in values)
        {
            if (item is JsonObject o && o["primary"] is JsonValue p && p.TryGetValue<bool>(out var isPrimary) && isPrimary)
            {
                if (seen) o["primary"] = false;
                seen = true;
            }
        }
    }

    static bool HasValue(JsonNode? node) => node switch
    {
        null => false,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Trim().Length > 0,
        JsonArray a => a.Count > 0,
        _ => true,
    };

    static string StripSchemaPrefix(string key, string schemaUrn) =>
        key.Length > schemaUrn.Length + 1 && key.StartsWith(schemaUrn, StringComparison.OrdinalIgnoreCase) && key[schemaUrn.Length] == ':'
            ? key[(schemaUrn.Length + 1)..]
            : key;

    static List<string>? ReadSchemas(JsonObject input)
    {
        foreach (var (key, value) in input)
        {
            if (!string.Equals(key, "schemas", StringComparison.OrdinalIgnoreCase)) continue;
            if (value is not JsonArray array) return null;
            var result = new List<string>();
            foreach (var item in array)
            {
                if (item is JsonValue v && v.TryGetValue<string>(out var s)) result.Add(s);
            }
            return result;
        }
        return null;
    }
}
