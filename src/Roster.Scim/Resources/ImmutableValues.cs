using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Json;
using Roster.Scim.Schema;

namespace Roster.Scim.Resources;

/// <summary>
/// The immutable attributes of a replacement (PUT, RFC 7644 §3.5.1): "if one or more values are already
/// set for the attribute, the input value(s) MUST match", or the answer is 400 mutability. PATCH checks
/// the same rule per operation (<see cref="Patching.AttributeWriter"/>); this is its PUT counterpart.
/// </summary>
/// <remarks>An immutable attribute the replacement leaves out keeps its value, as <c>active</c> does: a
/// client that does not map the attribute sends every PUT without it, and must neither fail nor erase it.</remarks>
public static class ImmutableValues
{
    /// <summary>Checks <paramref name="replacement"/> against <paramref name="current"/> (both canonical)
    /// and copies over the immutable values it leaves out.</summary>
    public static void Keep(JsonObject current, JsonObject replacement, ResourceTypeDefinition type)
    {
        KeepIn(current, replacement, type.Schema, null, replacement);
        foreach (var extension in type.Extensions)
        {
            if (current[extension.Schema.Id] is JsonObject values)
                KeepIn(values, replacement[extension.Schema.Id] as JsonObject, extension.Schema, extension.Schema.Id, replacement);
        }
    }

    static void KeepIn(JsonObject current, JsonObject? replacement, SchemaDefinition schema, string? extension, JsonObject resource)
    {
        foreach (var attribute in schema.Attributes)
        {
            if (attribute.Mutability != Mutability.Immutable || !ScimValues.IsPresent(current[attribute.Name])) continue;
            var existing = current[attribute.Name]!;
            var given = replacement?[attribute.Name];
            if (given is null)
            {
                if (replacement is null) resource[extension!] = replacement = new JsonObject();
                replacement[attribute.Name] = existing.DeepClone();
                continue;
            }
            if (!JsonNode.DeepEquals(existing, given))
            {
                var path = extension is null ? attribute.Name : $"{extension}:{attribute.Name}";
                throw ScimException.Mutability($"'{path}' is immutable and already has a value, so it cannot be changed");
            }
        }
    }
}
