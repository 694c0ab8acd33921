using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Json;
using Roster.Scim.Schema;

namespace Roster.Scim.Patching;

/// <summary>
/// Applies one add, replace or remove to one <see cref="PatchPath"/> of a resource, in place. Behaviour
/// depends only on the shape of the target in the schema — simple or complex, single- or multi-valued,
/// with or without a value filter and a sub-attribute — never on attribute names.
/// </summary>
internal static class PathOperationApplier
{
    /// <param name="ignoreReadOnly">True for the keys of a value without path: clients (Okta on every
    /// group push) send <c>id</c>, <c>meta</c> and the like there, and they are skipped. An explicit path to
    /// a read-only attribute is a mutability error.</param>
    public static void Apply(JsonObject resource, PatchOperationType type, PatchPath path, JsonNode? value, bool ignoreReadOnly)
    {
        if (IsReadOnly(path))
        {
            if (ignoreReadOnly) return;
            throw ScimException.Mutability($"'{path}' is read-only and cannot be modified");
        }

        var attributePath = path.Attribute;
        var container = type == PatchOperationType.Remove
            ? AttributeContainers.Find(resource, attributePath)
            : AttributeContainers.GetOrCreate(resource, attributePath);
        if (container is null)
        {
            // The extension holds nothing, so there is nothing to remove; a required one is still refused.
            if (path.ValueFilter is null && attributePath.SubAttribute is null && attributePath.Attribute.Required)
            {
                throw ScimException.InvalidValue($"'{attributePath}' is required and cannot be removed");
            }
            return;
        }

        if (path.ValueFilter is not null) ApplyToSelectedElements(type, container, path, path.ValueFilter, value);
        else if (attributePath.SubAttribute is not null) ApplyToSubAttribute(type, container, attributePath, attributePath.SubAttribute, value);
        else ApplyToAttribute(type, container, attributePath, value);

        AttributeContainers.RemoveIfEmpty(resource, attributePath, container);
    }

    static bool IsReadOnly(PatchPath path) =>
        path.Attribute.Attribute.Mutability == Mutability.ReadOnly
        || path.Attribute.SubAttribute?.Mutability == Mutability.ReadOnly
        || path.SubAttribute?.Mutability == Mutability.ReadOnly;

    /// <summary><c>userName</c>, <c>name</c>, <c>emails</c>, <c>members</c>, <c>…:manager</c>: the whole attribute.</summary>
    static void ApplyToAttribute(PatchOperationType type, JsonObject container, AttributePath path, JsonNode? value)
    {
        var attribute = path.Attribute;
        var where = path.ToString();

        if (type == PatchOperationType.Remove)
        {
            // Entra (legacy) and JumpCloud remove members by listing them in "value" instead of a filter.
            if (attribute.MultiValued && value is not null) RemoveListedElements(container, attribute, value, where);
            else AttributeWriter.Remove(container, attribute, where, insideImmutable: false);
            return;
        }

        if (attribute.MultiValued)
        {
            var elements = AttributeValueCoercer.CoerceElements(attribute, value, where);
            if (elements is null || (type == PatchOperationType.Replace && elements.Count == 0))
            {
                AttributeWriter.Remove(container, attribute, where, insideImmutable: false);
            }
            else if (type == PatchOperationType.Replace)
            {
                var array = new JsonArray([.. elements]);
                MultiValuedElements.KeepSinglePrimary(attribute, array, elements, where);
                AttributeWriter.Write(container, attribute, array, where, insideImmutable: false);
            }
            else
            {
                Append(container, attribute, elements, where);
            }
            return;
        }

        if (attribute.IsComplex)
        {
            MergeComplex(container, attribute, value, where);
            return;
        }

        var coerced = AttributeValueCoercer.CoerceSingle(attribute, value, where, keepNullSubAttributes: false);
        if (coerced is null) AttributeWriter.Remove(container, attribute, where, insideImmutable: false);
        else AttributeWriter.Write(container, attribute, coerced, where, insideImmutable: false);
    }

    /// <summary>
    /// add/replace of a single-valued complex attribute: the sub-attributes given replace or add to the
    /// stored ones and the others are left unchanged (RFC 7644 §3.5.2.1 and §3.5.2.3). One exception: when
    /// the attribute is identified by a <c>value</c> (the enterprise manager) and the value changes, it now
    /// designates something else, so the stored display name and <c>$ref</c> of the old one are dropped.
    /// </summary>
    static void MergeComplex(JsonObject container, AttributeDefinition attribute, JsonNode? value, string where)
    {
        var insideImmutable = attribute.Mutability == Mutability.Immutable;
        if (AttributeValueCoercer.CoerceSingle(attribute, value, where, keepNullSubAttributes: true) is not JsonObject incoming)
        {
            AttributeWriter.Remove(container, attribute, where, insideImmutable: false);
            return;
        }

        var existing = container.GetIgnoreCase(attribute.Name) as JsonObject;
        if (existing is not null && !insideImmutable && DesignatesAnother(attribute, existing, incoming)) existing = null;
        var target = existing ?? new JsonObject();
        Merge(target, attribute, incoming, where, insideImmutable);

        if (!target.HasAnyValue() || AttributeValueCoercer.IsUnassignedReference(attribute, target))
        {
            AttributeWriter.Remove(container, attribute, where, insideImmutable: false);
        }
        else if (existing is null)
        {
            AttributeWriter.Write(container, attribute, target, where, insideImmutable: false);
        }
    }

    static bool DesignatesAnother(AttributeDefinition attribute, JsonObject existing, JsonObject incoming) =>
        attribute.FindSubAttribute("value") is { } valueSubAttribute
        && incoming.GetIgnoreCase(valueSubAttribute.Name) is { } newValue
        && existing.GetIgnoreCase(valueSubAttribute.Name) is { } oldValue
        && !MultiValuedElements.SameValue(valueSubAttribute, oldValue, newValue);

    /// <summary><c>name.givenName</c>, <c>…:manager.value</c>, or <c>emails.type</c> (every element).</summary>
    static void ApplyToSubAttribute(PatchOperationType type, JsonObject container, AttributePath path, AttributeDefinition subAttribute, JsonNode? value)
    {
        var attribute = path.Attribute;
        var where = path.ToString();
        var insideImmutable = attribute.Mutability == Mutability.Immutable;
        var coerced = type == PatchOperationType.Remove ? null : AttributeValueCoercer.CoerceValue(subAttribute, value, where);
        var node = container.GetIgnoreCase(attribute.Name);

        if (!attribute.MultiValued)
        {
            var obj = node as JsonObject;
            if (coerced is null)
            {
                if (obj is null) return;
                AttributeWriter.Remove(obj, subAttribute, where, insideImmutable);
            }
            else
            {
                if (obj is null)
                {
                    obj = new JsonObject();
                    container.SetCanonical(attribute.Name, obj);
                }
                AttributeWriter.Write(obj, subAttribute, coerced, where, insideImmutable);
            }
            if (!obj.HasAnyValue() || AttributeValueCoercer.IsUnassignedReference(attribute, obj))
            {
                AttributeWriter.Remove(container, attribute, path.Attribute.Name, insideImmutable: false);
            }
            return;
        }

        // A sub-attribute of a multi-valued attribute without a filter addresses every element; with no
        // element yet, add/replace creates one holding just that sub-attribute.
        var elements = node as JsonArray;
        if (coerced is null)
        {
            if (elements is null) return;
            foreach (var element in elements)
            {
                if (element is JsonObject obj) AttributeWriter.Remove(obj, subAttribute, where, insideImmutable);
            }
        }
        else
        {
            if (elements is null || elements.Count == 0)
            {
                elements = [new JsonObject()];
                container.SetCanonical(attribute.Name, elements);
            }
            var written = new List<JsonNode>(elements.Count);
            foreach (var element in elements)
            {
                if (element is not JsonObject obj) continue;
                AttributeWriter.Write(obj, subAttribute, coerced.DeepClone(), where, insideImmutable);
                written.Add(obj);
            }
            MultiValuedElements.KeepSinglePrimary(attribute, elements, written, attribute.Name);
        }
        FinishElements(container, attribute, elements, attribute.Name);
    }

    /// <summary><c>members[value eq "u1"]</c>, <c>emails[type eq "work"].value</c>: the elements the filter selects.</summary>
    static void ApplyToSelectedElements(PatchOperationType type, JsonObject container, PatchPath path, ScimFilter filter, JsonNode? value)
    {
        var attribute = path.Attribute.Attribute;
        var subAttribute = path.SubAttribute;
        var where = path.ToString();
        var insideImmutable = attribute.Mutability == Mutability.Immutable;

        var elements = container.GetIgnoreCase(attribute.Name) as JsonArray;
        var selected = new List<JsonObject>();
        if (elements is not null)
        {
            foreach (var element in elements)
            {
                if (element is JsonObject obj && ScimFilterEvaluator.Matches(obj, filter)) selected.Add(obj);
            }
        }

        if (type == PatchOperationType.Remove)
        {
            // Removing what is not there is not an error: Okta and Entra repeat removals.
            if (elements is null || selected.Count == 0) return;
            RemoveFromSelected(elements, selected, subAttribute, where, insideImmutable);
            FinishElements(container, attribute, elements, attribute.Name);
            return;
        }

        if (subAttribute is not null)
        {
            var coerced = AttributeValueCoercer.CoerceValue(subAttribute, value, where);
            if (coerced is null)
            {
                // add/replace of null unassigns the sub-attribute of the selected elements.
                if (elements is null) return;
                RemoveFromSelected(elements, selected, subAttribute, where, insideImmutable);
                FinishElements(container, attribute, elements, attribute.Name);
                return;
            }
            if (selected.Count == 0) selected.Add(CreateDescribedElement(container, attribute, ref elements, path, filter));
            foreach (var element in selected)
            {
                AttributeWriter.Write(element, subAttribute, coerced.DeepClone(), where, insideImmutable);
            }
        }
        else
        {
            if (AttributeValueCoercer.CoerceSingle(attribute, value, where, keepNullSubAttributes: true) is not JsonObject incoming)
            {
                // add/replace of null unassigns the selected elements.
                if (elements is null) return;
                RemoveFromSelected(elements, selected, subAttribute: null, where, insideImmutable);
                FinishElements(container, attribute, elements, attribute.Name);
                return;
            }
            if (selected.Count == 0) selected.Add(CreateDescribedElement(container, attribute, ref elements, path, filter));
            foreach (var element in selected) Merge(element, attribute, incoming, where, insideImmutable);
        }

        MultiValuedElements.KeepSinglePrimary(attribute, elements!, selected, attribute.Name);
        FinishElements(container, attribute, elements!, attribute.Name);
    }

    static JsonObject CreateDescribedElement(JsonObject container, AttributeDefinition attribute, ref JsonArray? elements, PatchPath path, ScimFilter filter)
    {
        var element = MultiValuedElements.DescribedBy(filter)
            ?? throw ScimException.NoTarget($"No value of '{path.Attribute}' matches the filter {filter}, and the filter does not describe a value to create (only eq conditions joined by 'and' do)");
        if (elements is null)
        {
            elements = [];
            container.SetCanonical(attribute.Name, elements);
        }
        elements.Add(element);
        return element;
    }

    static void RemoveFromSelected(JsonArray elements, List<JsonObject> selected, AttributeDefinition? subAttribute, string where, bool insideImmutable)
    {
        foreach (var element in selected)
        {
            if (subAttribute is null) elements.Remove(element);
            else AttributeWriter.Remove(element, subAttribute, where, insideImmutable);
        }
    }

    /// <summary>add to a multi-valued attribute: appends the elements not already present.</summary>
    static void Append(JsonObject container, AttributeDefinition attribute, List<JsonNode> additions, string where)
    {
        var existing = container.GetIgnoreCase(attribute.Name);
        var elements = existing as JsonArray;
        var attach = false;
        if (elements is null)
        {
            // A stored single value where an array belongs becomes the first element rather than being lost.
            elements = existing is null ? [] : [existing.DeepClone()];
            attach = true;
        }

        var written = new List<JsonNode>(additions.Count);
        foreach (var addition in additions)
        {
            if (MultiValuedElements.Contains(attribute, elements, addition)) continue;
            elements.Add(addition);
            written.Add(addition);
        }
        MultiValuedElements.KeepSinglePrimary(attribute, elements, written, where);
        if (attach && elements.Count > 0) container.SetCanonical(attribute.Name, elements);
    }

    /// <summary>remove with a path to a multi-valued attribute and a value: removes the listed elements.</summary>
    static void RemoveListedElements(JsonObject container, AttributeDefinition attribute, JsonNode value, string where)
    {
        if (container.GetIgnoreCase(attribute.Name) is not JsonArray elements) return;
        var listed = AttributeValueCoercer.CoerceElements(attribute, value, where) ?? [];
        for (var i = elements.Count - 1; i >= 0; i--)
        {
            var element = elements[i];
            if (element is null) continue;
            foreach (var candidate in listed)
            {
                if (MultiValuedElements.SameValue(attribute, element, candidate))
                {
                    elements.RemoveAt(i);
                    break;
                }
            }
        }
        FinishElements(container, attribute, elements, where);
    }

    /// <summary>Writes the given sub-attributes into <paramref name="target"/>; explicit nulls unassign.</summary>
    static void Merge(JsonObject target, AttributeDefinition attribute, JsonObject incoming, string where, bool insideImmutable)
    {
        foreach (var (key, value) in incoming)
        {
            var subAttribute = attribute.FindSubAttribute(key)!;
            var subWhere = $"{where}.{subAttribute.Name}";
            if (value is null) AttributeWriter.Remove(target, subAttribute, subWhere, insideImmutable);
            else AttributeWriter.Write(target, subAttribute, value.DeepClone(), subWhere, insideImmutable);
        }
    }

    /// <summary>Drops emptied elements, and the attribute once no element is left (RFC 7643 §2.5: an empty
    /// array and an unassigned attribute are the same state).</summary>
    static void FinishElements(JsonObject container, AttributeDefinition attribute, JsonArray elements, string where)
    {
        MultiValuedElements.Prune(attribute, elements);
        if (elements.Count == 0) AttributeWriter.Remove(container, attribute, where, insideImmutable: false);
    }
}
