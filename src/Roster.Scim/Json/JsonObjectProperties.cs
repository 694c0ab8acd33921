using System.Text.Json.Nodes;

namespace Roster.Scim.Json;

/// <summary>
/// Property access on <see cref="JsonObject"/> that honours RFC 7643 §2.1: attribute names are
/// case-insensitive. Resources are expected to carry canonical names already, so the exact key is tried
/// first and the case-insensitive scan only runs when it misses.
/// </summary>
internal static class JsonObjectProperties
{
    /// <summary>The key actually used in <paramref name="obj"/> for <paramref name="name"/>, or null.</summary>
    public static string? FindKey(this JsonObject obj, string name)
    {
        if (obj.ContainsKey(name)) return name;
        foreach (var property in obj)
        {
            if (string.Equals(property.Key, name, StringComparison.OrdinalIgnoreCase)) return property.Key;
        }
        return null;
    }

    public static JsonNode? GetIgnoreCase(this JsonObject obj, string name)
    {
        if (obj.TryGetPropertyValue(name, out var exact)) return exact;
        var key = obj.FindKey(name);
        return key is null ? null : obj[key];
    }

    /// <summary>Writes <paramref name="value"/> under the canonical name, dropping any other spelling of
    /// the same name so the object never holds two versions of one attribute.</summary>
    public static void SetCanonical(this JsonObject obj, string canonicalName, JsonNode? value)
    {
        RemoveOtherSpellings(obj, canonicalName);
        obj[canonicalName] = value;
    }

    /// <summary>Removes every spelling of <paramref name="name"/>; true when something was removed.</summary>
    public static bool RemoveIgnoreCase(this JsonObject obj, string name)
    {
        var removed = obj.Remove(name);
        return RemoveOtherSpellings(obj, name) || removed;
    }

    /// <summary>True when the object holds at least one non-null value.</summary>
    public static bool HasAnyValue(this JsonObject obj)
    {
        foreach (var property in obj)
        {
            if (property.Value is not null) return true;
        }
        return false;
    }

    static bool RemoveOtherSpellings(JsonObject obj, string name)
    {
        List<string>? others = null;
        foreach (var property in obj)
        {
            if (!string.Equals(property.Key, name, StringComparison.Ordinal)
                && string.Equals(property.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                (others ??= []).Add(property.Key);
            }
        }
        if (others is null) return false;
        foreach (var key in others) obj.Remove(key);
        return true;
    }
}
