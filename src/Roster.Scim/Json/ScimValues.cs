using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Roster.Scim.Json;

/// <summary>
/// Reading primitive values out of JSON nodes, tolerant of how they were stored: a number may come from
/// parsed JSON or from a CLR value, and booleans written by Entra may be the strings "True"/"False".
/// </summary>
internal static class ScimValues
{
    /// <summary>The text of a string value; a number gives its JSON text (so an id stored as a number
    /// still compares with a string literal).</summary>
    public static bool TryGetString(JsonNode? node, out string text)
    {
        text = "";
        if (node is not JsonValue value) return false;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                text = value.GetValue<string>();
                return true;
            case JsonValueKind.Number:
                text = value.ToJsonString();
                return true;
            default:
                return false;
        }
    }

    public static bool TryGetBoolean(JsonNode? node, out bool result)
    {
        result = false;
        if (node is not JsonValue value) return false;
        switch (value.GetValueKind())
        {
            case JsonValueKind.True: result = true; return true;
            case JsonValueKind.False: result = false; return true;
            case JsonValueKind.String: return bool.TryParse(value.GetValue<string>().Trim(), out result);
            default: return false;
        }
    }

    public static bool TryGetDecimal(JsonNode? node, out decimal result)
    {
        result = 0;
        if (node is not JsonValue value) return false;
        switch (value.GetValueKind())
        {
            case JsonValueKind.Number:
                if (value.TryGetValue(out result)) return true;
                return decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out result);
            case JsonValueKind.String:
                return decimal.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out result);
            default:
                return false;
        }
    }

    /// <summary>
    /// "Has a value" in the sense of RFC 7644 <c>pr</c> and RFC 7643 §2.5 (unassigned = null = empty
    /// array): not null, not an empty string, not an empty array, not an object without values.
    /// </summary>
    public static bool IsPresent(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return false;
            case JsonValue value:
                return value.GetValueKind() switch
                {
                    JsonValueKind.Null or JsonValueKind.Undefined => false,
                    JsonValueKind.String => value.GetValue<string>().Length > 0,
                    _ => true,
                };
            case JsonArray array:
                foreach (var item in array)
                {
                    if (IsPresent(item)) return true;
                }
                return false;
            case JsonObject obj:
                foreach (var property in obj)
                {
                    if (IsPresent(property.Value)) return true;
                }
                return false;
            default:
                return false;
        }
    }
}
