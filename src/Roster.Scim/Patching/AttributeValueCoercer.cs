using System.Text.Json;
using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Json;
using Roster.Scim.Schema;

namespace Roster.Scim.Patching;

/// <summary>
/// Turns a PATCH value as sent into the value to store, following the attribute's definition. It always
/// builds new nodes, so nothing from the request ends up attached to the resource. The rules, chosen for
/// what identity providers actually send (see docs on Okta and Entra ID):
/// <list type="bullet">
/// <item>JSON null is "unassigned" (RFC 7643 §2.5): the result is null and the caller removes the target.</item>
/// <item>Booleans accept true/false and the strings "true"/"false" in any case (Entra sends
/// <c>"active": "False"</c> and <c>"primary": "True"</c>); anything else is invalidValue.</item>
/// <item>Strings (and references, binary) must be JSON strings, except that a JSON number is stored as its
/// text (<c>"employeeNumber": 701984</c> becomes "701984"): losing nothing, and friendlier than a 400 for
/// a client that typed an identifier as a number. Booleans, objects and arrays are refused.</item>
/// <item>Integers and decimals accept numbers and numeric strings; dateTimes must parse and are stored as
/// sent.</item>
/// <item>Complex values: sub-attribute names are matched case-insensitively and written canonically
/// (<c>"Primary"</c> becomes <c>"primary"</c>); unknown and read-only sub-attributes are dropped (clients
/// echo <c>display</c> names and the like); null sub-attributes are dropped (<c>"$ref": null</c>), or kept
/// as explicit nulls when merging so that they unassign.</item>
/// <item>A complex attribute with a <c>value</c> sub-attribute accepts a bare value as <c>{"value": x}</c>
/// (Entra and the Microsoft validator send the manager as a bare id), and a complex value whose
/// <c>value</c> is the empty string is unassigned as a whole (the validator's "Remove Manager" sends
/// <c>{"value": ""}</c>).</item>
/// <item>A single-valued attribute accepts a one-element array (Entra sends
/// <c>"manager": [{"value": …}]</c>); an empty array unassigns it.</item>
/// </list>
/// </summary>
internal static class AttributeValueCoercer
{
    /// <summary>The elements given for a multi-valued attribute: an array, or one value meaning a
    /// one-element array. Null when the value is null; unassigned elements are left out.</summary>
    public static List<JsonNode>? CoerceElements(AttributeDefinition attribute, JsonNode? raw, string where)
    {
        if (IsNull(raw)) return null;
        var elements = new List<JsonNode>();
        if (raw is JsonArray array)
        {
            foreach (var item in array)
            {
                if (CoerceElement(attribute, item, where, keepNullSubAttributes: false) is { } element) elements.Add(element);
            }
        }
        else if (CoerceElement(attribute, raw, where, keepNullSubAttributes: false) is { } element)
        {
            elements.Add(element);
        }
        return elements;
    }

    /// <summary>One value of <paramref name="attribute"/> — the whole value of a single-valued attribute,
    /// or one element of a multi-valued one — tolerating a one-element array around it.</summary>
    public static JsonNode? CoerceSingle(AttributeDefinition attribute, JsonNode? raw, string where, bool keepNullSubAttributes)
    {
        if (raw is JsonArray array)
        {
            if (array.Count == 0) return null;
            if (array.Count > 1)
            {
                throw ScimException.InvalidValue($"'{where}' takes a single value, but {array.Count} were given");
            }
            raw = array[0];
        }
        return CoerceElement(attribute, raw, where, keepNullSubAttributes);
    }

    /// <summary>The value of an attribute of any shape: an array for multi-valued ones (null when empty).</summary>
    public static JsonNode? CoerceValue(AttributeDefinition attribute, JsonNode? raw, string where)
    {
        if (!attribute.MultiValued) return CoerceSingle(attribute, raw, where, keepNullSubAttributes: false);
        var elements = CoerceElements(attribute, raw, where);
        return elements is null || elements.Count == 0 ? null : new JsonArray([.. elements]);
    }

    /// <summary>True for a complex value that names nothing: its <c>value</c> sub-attribute is "".</summary>
    public static bool IsUnassignedReference(AttributeDefinition attribute, JsonObject value) =>
        attribute.FindSubAttribute("value") is { } valueSubAttribute
        && value.GetIgnoreCase(valueSubAttribute.Name) is JsonValue text
        && text.GetValueKind() == JsonValueKind.String && text.GetValue<string>().Length == 0;

    static JsonNode? CoerceElement(AttributeDefinition attribute, JsonNode? raw, string where, bool keepNullSubAttributes) =>
        attribute.IsComplex ? CoerceComplex(attribute, raw, where, keepNullSubAttributes) : CoerceSimple(attribute, raw, where);

    static JsonObject? CoerceComplex(AttributeDefinition attribute, JsonNode? raw, string where, bool keepNullSubAttributes)
    {
        switch (raw)
        {
            case null:
                return null;
            case JsonObject given:
                var result = new JsonObject();
                foreach (var (key, value) in given)
                {
                    var subAttribute = attribute.FindSubAttribute(key);
                    if (subAttribute is null || subAttribute.Mutability == Mutability.ReadOnly) continue;
                    var coerced = IsNull(value) ? null : CoerceValue(subAttribute, value, $"{where}.{subAttribute.Name}");
                    if (coerced is not null || keepNullSubAttributes) result.SetCanonical(subAttribute.Name, coerced);
                }
                if (IsUnassignedReference(attribute, result)) return null;
                return keepNullSubAttributes || result.HasAnyValue() ? result : null;
            case JsonValue when IsNull(raw):
                return null;
            case JsonValue bare when attribute.FindSubAttribute("value") is { } valueSubAttribute:
                var single = CoerceSimple(valueSubAttribute, bare, $"{where}.{valueSubAttribute.Name}");
                if (single is null) return null;
                var wrapped = new JsonObject { [valueSubAttribute.Name] = single };
                return IsUnassignedReference(attribute, wrapped) ? null : wrapped;
            default:
                throw ScimException.InvalidValue($"'{where}' is a complex attribute; expected an object of its sub-attributes, got {raw.ToJsonString()}");
        }
    }

    static JsonNode? CoerceSimple(AttributeDefinition attribute, JsonNode? raw, string where)
    {
        if (IsNull(raw)) return null;
        if (raw is not JsonValue value)
        {
            throw ScimException.InvalidValue($"'{where}' takes a single {TypeName(attribute)} value, not {(raw is JsonArray ? "an array" : "an object")}");
        }

        var kind = value.GetValueKind();
        switch (attribute.Type)
        {
            case AttributeType.Boolean:
                if (ScimValues.TryGetBoolean(value, out var flag)) return JsonValue.Create(flag);
                break;

            case AttributeType.Integer:
                if (ScimValues.TryGetDecimal(value, out var integer) && decimal.Truncate(integer) == integer
                    && integer is >= long.MinValue and <= long.MaxValue)
                {
                    return JsonValue.Create((long)integer);
                }
                break;

            case AttributeType.Decimal:
                if (ScimValues.TryGetDecimal(value, out var number)) return JsonValue.Create(number);
                break;

            case AttributeType.DateTime:
                if (kind == JsonValueKind.String && ScimDateTimes.TryParse(value.GetValue<string>(), out _))
                {
                    return JsonValue.Create(value.GetValue<string>());
                }
                break;

            default:
                if (kind == JsonValueKind.String) return JsonValue.Create(value.GetValue<string>());
                if (kind == JsonValueKind.Number) return JsonValue.Create(value.ToJsonString());
                break;
        }
        throw ScimException.InvalidValue($"'{where}' must be {TypeName(attribute)}; got {value.ToJsonString()}");
    }

    static string TypeName(AttributeDefinition attribute) => attribute.Type switch
    {
        AttributeType.Boolean => "a boolean (true or false)",
        AttributeType.Integer => "an integer",
        AttributeType.Decimal => "a number",
        AttributeType.DateTime => "a dateTime string such as \"2011-05-13T04:42:34Z\"",
        AttributeType.Reference => "a reference string",
        AttributeType.Binary => "a base64 string",
        _ => "a string",
    };

    static bool IsNull(JsonNode? node) => node is null || node.GetValueKind() == JsonValueKind.Null;
}
