using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Json;
using Roster.Scim.Schema;

namespace Roster.Scim.Patching;

/// <summary>The rules PATCH applies to the elements of multi-valued attributes.</summary>
internal static class MultiValuedElements
{
    /// <summary>
    /// Whether two elements are the same value, for "add does not duplicate" and for removal by a value
    /// array. Elements identified by a <c>value</c> sub-attribute (emails, members, roles…) are the same
    /// when their values are equal, by the <c>value</c> sub-attribute's caseExact: Okta and Entra re-add
    /// members that are already there, with or without display names and <c>$ref</c>. Other complex
    /// elements (addresses) are the same when every sub-attribute is; simple values compare by the
    /// attribute's caseExact.
    /// </summary>
    public static bool SameValue(AttributeDefinition attribute, JsonNode left, JsonNode right)
    {
        if (!attribute.IsComplex) return SameSimpleValue(attribute, left, right);
        if (left is not JsonObject a || right is not JsonObject b) return JsonNode.DeepEquals(left, right);

        if (attribute.FindSubAttribute("value") is { } valueSubAttribute)
        {
            var valueA = a.GetIgnoreCase(valueSubAttribute.Name);
            var valueB = b.GetIgnoreCase(valueSubAttribute.Name);
            if (valueA is not null || valueB is not null)
            {
                return valueA is not null && valueB is not null && SameSimpleValue(valueSubAttribute, valueA, valueB);
            }
        }
        foreach (var subAttribute in attribute.SubAttributes)
        {
            var subA = a.GetIgnoreCase(subAttribute.Name);
            var subB = b.GetIgnoreCase(subAttribute.Name);
            var present = ScimValues.IsPresent(subA);
            if (present != ScimValues.IsPresent(subB)) return false;
            if (present && !SameSimpleValue(subAttribute, subA!, subB!)) return false;
        }
        return true;
    }

    public static bool Contains(AttributeDefinition attribute, JsonArray elements, JsonNode candidate)
    {
        foreach (var element in elements)
        {
            if (element is not null && SameValue(attribute, element, candidate)) return true;
        }
        return false;
    }

    /// <summary>
    /// RFC 7643 §2.4: "primary" may be true on at most one element. When the elements just written carry
    /// primary=true, the other elements lose it; two written primaries in one operation are refused.
    /// </summary>
    public static void KeepSinglePrimary(AttributeDefinition attribute, JsonArray elements, IReadOnlyCollection<JsonNode> written, string where)
    {
        if (attribute.FindSubAttribute("primary") is not { Type: AttributeType.Boolean } primary) return;
        JsonNode? chosen = null;
        var count = 0;
        foreach (var element in written)
        {
            if (IsPrimary(element, primary)) { chosen = element; count++; }
        }
        if (count > 1)
        {
            throw ScimException.InvalidValue($"At most one value of '{where}' may have primary set to true, but this operation sets it on {count}");
        }
        if (chosen is null) return;
        foreach (var element in elements)
        {
            if (element is JsonObject other && !ReferenceEquals(other, chosen) && IsPrimary(other, primary))
            {
                other.SetCanonical(primary.Name, JsonValue.Create(false));
            }
        }
    }

    /// <summary>
    /// The element a value filter describes, for add/replace whose filter matches nothing: when the filter
    /// is one <c>eq</c>, or an <c>and</c> of them, on sub-attributes, the element carrying those values.
    /// Entra writes <c>emails[type eq "work"].value</c> to users that have no work email yet and expects
    /// one to be created. Any other filter (or, not, co…) does not describe an element: null.
    /// </summary>
    public static JsonObject? DescribedBy(ScimFilter filter)
    {
        var element = new JsonObject();
        return Collect(filter, element) ? element : null;

        static bool Collect(ScimFilter filter, JsonObject element) => filter switch
        {
            LogicalFilter { Operator: LogicalOperator.And } and => Collect(and.Left, element) && Collect(and.Right, element),
            ComparisonFilter { Operator: ComparisonOperator.Equal, Path.Parent: not null, Value: not NullLiteral } equal =>
                Put(element, equal.Path.Attribute.Name, ToNode(equal.Value)),
            _ => false,
        };

        static bool Put(JsonObject element, string name, JsonNode value)
        {
            // "type eq "work" and type eq "home"" describes no element.
            if (element[name] is { } existing) return JsonNode.DeepEquals(existing, value);
            element[name] = value;
            return true;
        }
    }

    /// <summary>Drops elements left without any value, or naming nothing (<c>"value": ""</c>).</summary>
    public static void Prune(AttributeDefinition attribute, JsonArray elements)
    {
        for (var i = elements.Count - 1; i >= 0; i--)
        {
            var element = elements[i];
            if (element is null
                || (element is JsonObject obj && (!obj.HasAnyValue() || AttributeValueCoercer.IsUnassignedReference(attribute, obj))))
            {
                elements.RemoveAt(i);
            }
        }
    }

    static bool IsPrimary(JsonNode element, AttributeDefinition primary) =>
        element is JsonObject obj && ScimValues.TryGetBoolean(obj.GetIgnoreCase(primary.Name), out var flag) && flag;

    static bool SameSimpleValue(AttributeDefinition attribute, JsonNode left, JsonNode right)
    {
        switch (attribute.Type)
        {
            case AttributeType.Boolean:
                return ScimValues.TryGetBoolean(left, out var a) && ScimValues.TryGetBoolean(right, out var b) && a == b;
            case AttributeType.Integer:
            case AttributeType.Decimal:
                return ScimValues.TryGetDecimal(left, out var x) && ScimValues.TryGetDecimal(right, out var y) && x == y;
            default:
                if (ScimValues.TryGetString(left, out var s) && ScimValues.TryGetString(right, out var t))
                {
                    return string.Equals(s, t, attribute.CaseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
                }
                return JsonNode.DeepEquals(left, right);
        }
    }

    static JsonNode ToNode(FilterLiteral literal) => literal switch
    {
        StringLiteral s => JsonValue.Create(s.Value),
        BooleanLiteral b => JsonValue.Create(b.Value),
        NumberLiteral { IsInteger: true, Value: >= long.MinValue and <= long.MaxValue } n => JsonValue.Create((long)n.Value),
        NumberLiteral n => JsonValue.Create(n.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(literal)),
    };
}
