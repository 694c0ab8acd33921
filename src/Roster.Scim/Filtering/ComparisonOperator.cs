namespace Roster.Scim.Filtering;

/// <summary>The attribute operators of RFC 7644 §3.4.2.2 that compare against a value.
/// Presence (<c>pr</c>) takes no value and is <see cref="PresentFilter"/>.</summary>
public enum ComparisonOperator
{
    /// <summary><c>eq</c></summary>
    Equal,
    /// <summary><c>ne</c></summary>
    NotEqual,
    /// <summary><c>co</c></summary>
    Contains,
    /// <summary><c>sw</c></summary>
    StartsWith,
    /// <summary><c>ew</c></summary>
    EndsWith,
    /// <summary><c>gt</c></summary>
    GreaterThan,
    /// <summary><c>ge</c></summary>
    GreaterThanOrEqual,
    /// <summary><c>lt</c></summary>
    LessThan,
    /// <summary><c>le</c></summary>
    LessThanOrEqual,
}

/// <summary>The wire spelling of <see cref="ComparisonOperator"/> and the groups the type rules need.</summary>
public static class ComparisonOperators
{
    /// <summary>The operator as written in a filter, lowercase.</summary>
    public static string ToToken(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "eq",
        ComparisonOperator.NotEqual => "ne",
        ComparisonOperator.Contains => "co",
        ComparisonOperator.StartsWith => "sw",
        ComparisonOperator.EndsWith => "ew",
        ComparisonOperator.GreaterThan => "gt",
        ComparisonOperator.GreaterThanOrEqual => "ge",
        ComparisonOperator.LessThan => "lt",
        ComparisonOperator.LessThanOrEqual => "le",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Operators are case-insensitive on the wire (<c>EQ</c>, <c>Eq</c>).</summary>
    public static bool TryParse(ReadOnlySpan<char> token, out ComparisonOperator op)
    {
        op = default;
        if (token.Length != 2) return false;
        Span<char> lower = stackalloc char[2];
        token.ToLowerInvariant(lower);
        switch (lower)
        {
            case "eq": op = ComparisonOperator.Equal; return true;
            case "ne": op = ComparisonOperator.NotEqual; return true;
            case "co": op = ComparisonOperator.Contains; return true;
            case "sw": op = ComparisonOperator.StartsWith; return true;
            case "ew": op = ComparisonOperator.EndsWith; return true;
            case "gt": op = ComparisonOperator.GreaterThan; return true;
            case "ge": op = ComparisonOperator.GreaterThanOrEqual; return true;
            case "lt": op = ComparisonOperator.LessThan; return true;
            case "le": op = ComparisonOperator.LessThanOrEqual; return true;
            default: return false;
        }
    }

    /// <summary>gt, ge, lt, le: the operators that need an ordering of values.</summary>
    public static bool IsOrdering(this ComparisonOperator op) =>
        op is ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual
            or ComparisonOperator.LessThan or ComparisonOperator.LessThanOrEqual;

    /// <summary>co, sw, ew: the operators that only make sense on text.</summary>
    public static bool IsSubstring(this ComparisonOperator op) =>
        op is ComparisonOperator.Contains or ComparisonOperator.StartsWith or ComparisonOperator.EndsWith;
}
