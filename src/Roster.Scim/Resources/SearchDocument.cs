using System.Text.Json.Nodes;
using Roster.Scim.Schema;

namespace Roster.Scim.Resources;

/// <summary>
/// The form of a resource that filters and sorting read: the canonical resource with every string of
/// a case-insensitive attribute lower-cased (by .NET's invariant casing, as the key columns are).
/// Stored beside the resource, it lets the database compare "ÉLODIE" with "élodie" by equality, the
/// same way in SQLite and in PostgreSQL whatever the database's collation, and lets an index serve
/// case-insensitive lookups.
/// </summary>
public static class SearchDocument
{
    public static JsonObject From(JsonObject resource, ResourceTypeDefinition type)
    {
        var output = new JsonObject();
        foreach (var (key, value) in resource)
        {
            if (value is null) continue;
            var extension = type.FindExtension(key);
            if (extension is not null && value is JsonObject attributes)
            {
                var folded = new JsonObject();
                foreach (var (name, attributeValue) in attributes)
                {
                    folded[name] = Fold(extension.FindAttribute(name), attributeValue);
                }
                output[key] = folded;
                continue;
            }
            output[key] = Fold(type.Schema.FindAttribute(key) ?? ScimSchemas.FindCommonAttribute(key), value);
        }
        return output;
    }

    static JsonNode? Fold(AttributeDefinition? attribute, JsonNode? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonArray items:
                var array = new JsonArray();
                foreach (var item in items) array.Add(Fold(attribute, item));
                return array;
            case JsonObject complex:
                var obj = new JsonObject();
                foreach (var (name, sub) in complex) obj[name] = Fold(attribute?.FindSubAttribute(name), sub);
                return obj;
            case JsonValue scalar when attribute is { CaseExact: false, Type: AttributeType.String or AttributeType.Reference }
                                       && scalar.TryGetValue<string>(out var text):
                return JsonValue.Create(Text.ScimText.Fold(text));
            default:
                return value.DeepClone();
        }
    }
}
