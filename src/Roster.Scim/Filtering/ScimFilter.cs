namespace Roster.Scim.Filtering;

/// <summary>
/// The syntax tree of a SCIM filter (RFC 7644 §3.4.2.2). Every node is a public record, so a consumer
/// walks it with a <c>switch</c> on the node type; paths are already resolved against the schema and
/// literals already coerced to the attribute's type (see <see cref="FilterLiteral"/>).
/// <see cref="object.ToString"/> renders a canonical filter that parses back to an equal tree; logical
/// expressions are always parenthesised so precedence is visible.
/// </summary>
public abstract record ScimFilter;

/// <summary><c>attrPath compareOp compValue</c>, e.g. <c>userName eq "bjensen"</c>.</summary>
public sealed record ComparisonFilter(AttributePath Path, ComparisonOperator Operator, FilterLiteral Value) : ScimFilter
{
    /// <summary>Whether string values compare case-sensitively (the attribute's caseExact).</summary>
    public bool CaseExact => Path.CaseExact;

    public override string ToString() => $"{Path} {Operator.ToToken()} {Value}";
}

/// <summary><c>attrPath pr</c>: the attribute has a non-empty value.</summary>
public sealed record PresentFilter(AttributePath Path) : ScimFilter
{
    public override string ToString() => $"{Path} pr";
}

/// <summary><c>filter and filter</c> / <c>filter or filter</c>.</summary>
public sealed record LogicalFilter(LogicalOperator Operator, ScimFilter Left, ScimFilter Right) : ScimFilter
{
    public override string ToString() => $"({Left} {(Operator == LogicalOperator.And ? "and" : "or")} {Right})";
}

/// <summary><c>not (filter)</c>.</summary>
public sealed record NotFilter(ScimFilter Operand) : ScimFilter
{
    public override string ToString() => $"not ({Operand})";
}

/// <summary>
/// <c>attrPath[valFilter]</c>, e.g. <c>emails[type eq "work" and value co "@acme.com"]</c>: true when one
/// single element of the multi-valued attribute satisfies the whole inner filter. The paths inside
/// <see cref="Filter"/> are relative to that element (<see cref="AttributePath.Parent"/> is set).
/// Entra's <c>emails[type eq "work"].value eq "x"</c> is parsed into this form as
/// <c>emails[type eq "work" and value eq "x"]</c>, which means the same thing.
/// </summary>
public sealed record ValuePathFilter(AttributePath Path, ScimFilter Filter) : ScimFilter
{
    public override string ToString() => $"{Path}[{Filter}]";
}
