using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Json;
using Roster.Scim.Schema;

namespace Roster.Scim.Patching;

/// <summary>
/// The two mutations every PATCH change comes down to — set one attribute or sub-attribute, remove one —
/// with the schema rules that guard them. Read-only targets are filtered out before they get here.
/// <list type="bullet">
/// <item>Immutable (RFC 7643 §7): may be set while it has no value, or set again to the same value;
/// changing or removing an existing value is a mutability error. Sub-attributes of an immutable
/// attribute are immutable too.</item>
/// <item>Required: removing it is invalidValue (the Microsoft validator sometimes tries to remove
/// required attributes; the answer is a clear 400, not a resource without a userName).</item>
/// </list>
/// </summary>
internal static class AttributeWriter
{
    public static void Write(JsonObject container, AttributeDefinition attribute, JsonNode value, string where, bool insideImmutable)
    {
        if (insideImmutable || attribute.Mutability == Mutability.Immutable)
        {
            var existing = container.GetIgnoreCase(attribute.Name);
            if (ScimValues.IsPresent(existing) && !JsonNode.DeepEquals(existing, value))
            {
                throw ScimException.Mutability($"'{where}' is immutable and already has a value, so it cannot be changed");
            }
        }
        container.SetCanonical(attribute.Name, value);
    }

    public static void Remove(JsonObject container, AttributeDefinition attribute, string where, bool insideImmutable)
    {
        if (attribute.Required)
        {
            throw ScimException.InvalidValue($"'{where}' is required and cannot be removed");
        }
        if ((insideImmutable || attribute.Mutability == Mutability.Immutable) && ScimValues.IsPresent(container.GetIgnoreCase(attribute.Name)))
        {
            throw ScimException.Mutability($"'{where}' is immutable and cannot be removed once set");
        }
        container.RemoveIgnoreCase(attribute.Name);
    }
}
