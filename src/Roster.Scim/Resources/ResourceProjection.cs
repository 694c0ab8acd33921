using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;

namespace Roster.Scim.Resources;

/// <summary>
/// The <c>attributes</c> and <c>excludedAttributes</c> of a request (RFC 7644 §3.9, §3.4.2.5): which
/// attributes a response carries. Names no schema defines select nothing. The schemas' <c>returned</c>
/// characteristic (RFC 7643 §7) has the last word: attributes returned "always" (<c>id</c>,
/// <c>schemas</c>, and any a schema declares so) are kept whatever is asked, and those returned on
/// "request" only when <c>attributes</c> names them.
/// </summary>
public sealed class ResourceProjection
{
    readonly List<Selection> included;
    readonly List<Selection> excluded;
    readonly List<Selection> always;
    readonly List<Selection> requestOnly;

    /// <summary>One selected attribute: the key it lives under (an extension URN or null for the
    /// core), the attribute, and optionally one sub-attribute.</summary>
    readonly record struct Selection(string? Extension, string? Attribute, string? SubAttribute)
    {
        /// <summary>True when both name the same attribute, whatever sub-attribute they go on to.</summary>
        public bool SameAttribute(Selection other) =>
            string.Equals(Extension, other.Extension, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Attribute, other.Attribute, StringComparison.OrdinalIgnoreCase);
    }

    ResourceProjection(List<Selection> included, List<Selection> excluded, List<Selection> always, List<Selection> requestOnly)
    {
        this.included = included;
        this.excluded = excluded;
        this.always = always;
        this.requestOnly = requestOnly;
    }

    public static readonly ResourceProjection Everything = new([], [], [], []);

    public bool IsEverything => included.Count == 0 && excluded.Count == 0 && requestOnly.Count == 0;

    public static ResourceProjection Parse(string? attributes, string? excludedAttributes, ResourceTypeDefinition type)
    {
        var included = ParseList(attributes, type);
        var excluded = ParseList(excludedAttributes, type);
        var always = Returning(type, Returned.Always);
        var requestOnly = Returning(type, Returned.Request);
        return included.Count == 0 && excluded.Count == 0 && requestOnly.Count == 0
            ? Everything
            : new ResourceProjection(included, excluded, always, requestOnly);
    }

    /// <summary>The attributes of the resource type's schemas that are returned as given.</summary>
    static List<Selection> Returning(ResourceTypeDefinition type, Returned returned)
    {
        var selections = type.Schema.Attributes.Where(a => a.Returned == returned).Select(a => new Selection(null, a.Name, null)).ToList();
        foreach (var extension in type.Extensions)
        {
            selections.AddRange(extension.Schema.Attributes.Where(a => a.Returned == returned)
                .Select(a => new Selection(extension.Schema.Id, a.Name, null)));
        }
        return selections;
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
        // Removals work on a copy when "always" attributes must be put back from the original.
        var result = included.Count > 0 ? Include(resource)
            : always.Count > 0 ? (JsonObject)resource.DeepClone()
            : resource;
        foreach (var selection in requestOnly)
        {
            if (!included.Any(i => i.SameAttribute(selection))) Remove(result, selection);
        }
        foreach (var selection in excluded) Remove(result, selection);
        foreach (var selection in always) Copy(resource, result, selection);
        DropEmptyExtensions(result);
        return result;
    }

    JsonObject Include(JsonObject resource)
    {
        var output = new JsonObject();
        foreach (var always in new[] { "schemas", "id" })
        {
            if (resource[always] is { } value) output[always] = value.DeepClone();
        }
        foreach (var selection in included) Copy(resource, output, selection);
        return output;
    }

    /// <summary>Copies what <paramref name="selection"/> names from <paramref name="resource"/> into
    /// <paramref name="output"/>, beside what is there already.</summary>
    static void Copy(JsonObject resource, JsonObject output, Selection selection)
    {
        var source = selection.Extension is null ? resource : resource[selection.Extension] as JsonObject;
        if (source is null) return;
        var target = output;
        if (selection.Extension is not null)
        {
            if (selection.Attribute is null)
            {
                output[selection.Extension] = source.DeepClone();
                return;
            }
            if (output[selection.Extension] is JsonObject existing) target = existing;
            else output[selection.Extension] = target = new JsonObject();
        }
        var attribute = FindKey(source, selection.Attribute!);
        if (attribute is null) return;
        var value = source[attribute]!;
        if (selection.SubAttribute is null)
        {
            target[attribute] = value.DeepClone();
            return;
        }
        target[attribute] = MergeSubAttribute(target[attribute], value, selection.SubAttribute);
    }

    /// <summary>An extension whose every attribute was left out is left out as a whole.</summary>
    static void DropEmptyExtensions(JsonObject result)
    {
        var empty = result.Where(p => p.Key.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) && p.Value is JsonObject { Count: 0 })
            .Select(p => p.Key).ToList();
        foreach (var key in empty) result.Remove(key);
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
