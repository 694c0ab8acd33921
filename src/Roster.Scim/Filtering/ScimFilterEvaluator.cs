using System.Text.Json.Nodes;
using Roster.Scim.Json;
using Roster.Scim.Schema;

namespace Roster.Scim.Filtering;

/// <summary>
/// Evaluates a parsed filter against a resource (or, for the inner filter of a value path, against one
/// element of a multi-valued attribute) in memory. Used by the PATCH engine to select elements and by
/// tests; queries over the directory are translated to SQL instead, and that translation should follow
/// the same rules:
/// <list type="bullet">
/// <item>A comparison on a path with several values (a multi-valued attribute, or a sub-attribute of one)
/// is true when any single value satisfies it (RFC 7644 §3.4.2.2) — for <c>ne</c> too, so
/// <c>emails.type ne "work"</c> matches a user with a work and a home email. An attribute without values
/// satisfies no comparison, except <c>eq null</c>; <c>ne null</c> is true when a value is present.</item>
/// <item>Strings compare ordinally, ignoring case unless the attribute is caseExact; gt/ge/lt/le on
/// strings use that same ordinal order.</item>
/// <item>Integers and decimals compare numerically; dateTimes compare as instants when both sides parse,
/// otherwise as strings; booleans support eq and ne only (the parser refuses ordering on booleans, so the
/// evaluator never sees it).</item>
/// <item><c>pr</c> is true for a non-null value that is not an empty string, empty array or empty object.</item>
/// <item>A value path is true when one element satisfies the whole inner filter.</item>
/// </list>
/// </summary>
public static class ScimFilterEvaluator
{
    public static bool Matches(JsonNode? target, ScimFilter filter) => filter switch
    {
        LogicalFilter { Operator: LogicalOperator.And } and => Matches(target, and.Left) && Matches(target, and.Right),
        LogicalFilter or => Matches(target, or.Left) || Matches(target, or.Right),
        NotFilter not => !Matches(target, not.Operand),
        PresentFilter present => AnyValue(target, present.Path, present, static (value, _) => ScimValues.IsPresent(value)),
        ComparisonFilter { Value: NullLiteral } isNull =>
            AnyValue(target, isNull.Path, isNull, static (value, _) => ScimValues.IsPresent(value))
                == (isNull.Operator == ComparisonOperator.NotEqual),
        ComparisonFilter comparison => AnyValue(target, comparison.Path, comparison, static (value, c) => Compare(value, c)),
        ValuePathFilter valuePath => AnyElement(target, valuePath),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter.GetType().Name, "Unknown filter node"),
    };

    static bool AnyElement(JsonNode? target, ValuePathFilter valuePath)
    {
        var container = AttributeContainers.Find(target, valuePath.Path);
        switch (container?.GetIgnoreCase(valuePath.Path.Attribute.Name))
        {
            case JsonArray elements:
                foreach (var element in elements)
                {
                    if (element is JsonObject && Matches(element, valuePath.Filter)) return true;
                }
                return false;
            case JsonObject single:
                return Matches(single, valuePath.Filter);
            default:
                return false;
        }
    }

    /// <summary>Calls <paramref name="predicate"/> on each value the path denotes until one answers true;
    /// the state argument keeps the lambdas static, so evaluation does not allocate closures.</summary>
    static bool AnyValue<TState>(JsonNode? target, AttributePath path, TState state, Func<JsonNode, TState, bool> predicate)
    {
        var node = AttributeContainers.Find(target, path)?.GetIgnoreCase(path.Attribute.Name);
        if (path.SubAttribute is null) return AnyItem(node, state, predicate);
        switch (node)
        {
            case JsonArray elements:
                foreach (var element in elements)
                {
                    if (element is JsonObject obj && AnyItem(obj.GetIgnoreCase(path.SubAttribute.Name), state, predicate)) return true;
                }
                return false;
            case JsonObject obj:
                return AnyItem(obj.GetIgnoreCase(path.SubAttribute.Name), state, predicate);
            default:
                return false;
        }
    }

    static bool AnyItem<TState>(JsonNode? node, TState state, Func<JsonNode, TState, bool> predicate)
    {
        if (node is null) return false;
        if (node is not JsonArray items) return predicate(node, state);
        foreach (var item in items)
        {
            if (item is not null && predicate(item, state)) return true;
        }
        return false;
    }

    static bool Compare(JsonNode value, ComparisonFilter comparison)
    {
        var op = comparison.Operator;
        switch (comparison.Path.Target.Type)
        {
            case AttributeType.Boolean:
                return comparison.Value is BooleanLiteral expected && ScimValues.TryGetBoolean(value, out var actual)
                    && (op == ComparisonOperator.Equal ? actual == expected.Value
                        : op == ComparisonOperator.NotEqual && actual != expected.Value);

            case AttributeType.Integer:
            case AttributeType.Decimal:
                return comparison.Value is NumberLiteral number && ScimValues.TryGetDecimal(value, out var stored)
                    && Satisfies(stored.CompareTo(number.Value), op);

            case AttributeType.DateTime:
                if (comparison.Value is not StringLiteral dateLiteral || !ScimValues.TryGetString(value, out var dateText)) return false;
                if (!op.IsSubstring() && ScimDateTimes.TryParse(dateText, out var storedInstant)
                    && ScimDateTimes.TryParse(dateLiteral.Value, out var literalInstant))
                {
                    return Satisfies(storedInstant.CompareTo(literalInstant), op);
                }
                return CompareStrings(dateText, dateLiteral.Value, op, comparison.CaseExact);

            default:
                return comparison.Value is StringLiteral literal && ScimValues.TryGetString(value, out var text)
                    && CompareStrings(text, literal.Value, op, comparison.CaseExact);
        }
    }

    static bool CompareStrings(string actual, string expected, ComparisonOperator op, bool caseExact)
    {
        var comparison = caseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return op switch
        {
            ComparisonOperator.Equal => string.Equals(actual, expected, comparison),
            ComparisonOperator.NotEqual => !string.Equals(actual, expected, comparison),
            ComparisonOperator.Contains => actual.Contains(expected, comparison),
            ComparisonOperator.StartsWith => actual.StartsWith(expected, comparison),
            ComparisonOperator.EndsWith => actual.EndsWith(expected, comparison),
            _ => Satisfies(string.Compare(actual, expected, comparison), op),
        };
    }

    static bool Satisfies(int order, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => order == 0,
        ComparisonOperator.NotEqual => order != 0,
        ComparisonOperator.GreaterThan => order > 0,
        ComparisonOperator.GreaterThanOrEqual => order >= 0,
        ComparisonOperator.LessThan => order < 0,
        ComparisonOperator.LessThanOrEqual => order <= 0,
        _ => false,
    };
}
