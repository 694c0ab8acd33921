using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;

namespace Roster.Scim.Resources;

/// <summary>
/// The <c>attributes</c> and <c>excludedAttributes</c> of a request (RFC 7644 §3.9, §3.4.2.5): which
/// attributes a response carries. Attributes returned "always" (<c>id</c>, and <c>schemas</c>) are
/// kept whatever is asked; names no schema defines select nothing.
/// </summary>
public sealed class ResourceProjection
{
    readonly List<Selection> included;
    readonly List<Selection> excluded;

    /// <summary>One selected attribute: the key it lives under (an extension URN or null for the
    /// core), the attribute, and optionally one sub-attribute.</summary>
    readonly record struct Selection(string? Extension, string? Attribute, string? SubAttribute);

    ResourceProjection(List<Selection> included, List<Selection> excluded)
    {
        this.included = included;
        this.excluded = excluded;
    }

    public static readonly ResourceProjection Everything = new([], []);

    public bool IsEverything => included.Count == 0 && excluded.Count == 0;

    public static ResourceProjection Parse(string? attributes, string? excludedAttributes, ResourceTypeDefinition type)
    {
        var included = ParseList(attributes, type);
        var excluded = ParseList(excludedAttributes, type);
        return included.Count == 0 && excluded.Count == 0 ? Everything : new ResourceProjection(included, excluded);
    }

    static List<Selection> ParseList(string? text, ResourceTypeDefinition type)
    {
        var selections = new List<Selection>();
        if (string.IsNullOrWhiteSpace(text)) return selections;
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var extension = type.FindExtension(raw);
            if (extension is not null)
            {
                selections.Add(new Selection(extension.Id, null, null));
                continue;
            }
            AttributePath path;
            try
            {
                path = AttributePathResolver.Resolve(raw, 0, type, ScimException.InvalidValue);
            }
            catch (ScimException)
            {
                continue; // an attribute this resource type does not have is simply not in the response
            }
            selections.Add(new Selection(path.IsExtension ? path.Schema?.Id : null, path.Attribute.Name, path.SubAttribute?.Name));
        }
        return selections;
    }

    public JsonObject Apply(JsonObject resource)
    {
        if (IsEverything) return resource;
        var result = included.Count > 0 ? Include(resource) : resource;
        foreach (var selection in excluded) Remove(result, selection);
        return result;
    }

    JsonObject Include(JsonObject resource)
    {
        var output = new JsonObject();
        foreach (var always in new[] { "schemas", "id" })
        {
            if (resource[always] is { } value) output[always] = value.DeepClone();
        }
        foreach (var selection in included)
        {
            var source = selection.Extension is null ? resource : resource[selection.Extension] as JsonObject;
            if (source is null) continue;
            var target = output;
            if (selection.Extension is not null)
            {
                target = output[selection.Extension] as JsonObject ?? new JsonObject();
                output[selection.Extension] = target;
                if (selection.Attribute is null)
                {
                    output[selection.Extension] = source.DeepClone();
                    continue;
                }
            }
            var attribute = FindKey(source, selection.Attribute!);
            if (attribute is null) continue;
            var value = source[attribute]!;
            if (selection.SubAttribute is null)
            {
                target[attribute] = value.DeepClone();
                continue;
            }
            target[attribute] = MergeSubAttribute(target[attribute], value, selection.SubAttribute);
        }
        return output;
    }

    /// <summary>Copies one sub-attribute of a complex value (each element's, for a multi-valued one)
    /// into what was already selected of it.</summary>
    static JsonNode? MergeSubAttribute(JsonNode? selected, JsonNode value, string subAttribute)
    {
        switch (value)
        {
            case JsonObject complex:
            {
                var target = selected as JsonObject ?? new JsonObject();
                var key = FindKey(complex, subAttribute);
                if (key is not null) target[key] = complex[key]!.DeepClone();
                return target;
            }
            case JsonArray elements:
            {
                var target = selected as JsonArray ?? new JsonArray(elements.Select(_ => (JsonNode?)new JsonObject()).ToArray());
                for (var i = 0; i < elements.Count && i < target.Count; i++)
                {
                    if (elements[i] is JsonObject element && target[i] is JsonObject into && FindKey(element, subAttribute) is { } key)
                        into[key] = element[key]!.DeepClone();
                }
                return target;
            }
            default:
                return selected;
        }
    }

    static void Remove(JsonObject resource, Selection selection)
    {
        var container = selection.Extension is null ? resource : resource[selection.Extension] as JsonObject;
        if (container is null) return;
        if (selection.Attribute is null)
        {
            resource.Remove(selection.Extension!);
            return;
        }
        var attribute = FindKey(container, selection.Attribute);
        if (attribute is null || selection.Extension is null && attribute is "id" or "schemas") return;
        if (selection.SubAttribute is null)
        {
            container.Remove(attribute);
            return;
        }
        switch (container[attribute])
        {
            case JsonObject complex when FindKey(complex, selection.SubAttribute) is { } key:
                complex.Remove(key);
                break;
            case JsonArray elements:
                foreach (var element in elements.OfType<JsonObject>())
                {
                    if (FindKey(element, selection.SubAttribute) is { } subKey) element.Remove(subKey);
                }
                break;
        }
    }

    static string? FindKey(JsonObject obj, string name)
    {
        foreach (var (key, _) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return key;
        }
        return null;
    }
}
