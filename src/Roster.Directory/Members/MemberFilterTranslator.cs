using System.Globalization;
using Roster.Directory.Storage;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;

namespace Roster.Directory.Members;

/// <summary>
/// Translates a SCIM filter over Users into SQL over the members table, so that the database finds
/// and counts the matches: nothing loads an enterprise's members to filter them in memory.
/// </summary>
/// <remarks>
/// Each comparison yields a definite true or false, never SQL's NULL, so that <c>not</c> and <c>or</c>
/// mean what SCIM says: an absent attribute satisfies no comparison but <c>eq null</c> (as in
/// <see cref="ScimFilterEvaluator"/>, which the tests hold this translation to). Attributes without a
/// column are refused with invalidFilter rather than ignored.
/// </remarks>
public sealed class MemberFilterTranslator(SqlDialect dialect)
{
    /// <summary>The filterable attributes and the columns that hold them. A case-insensitive
    /// attribute is compared through its key column, which holds the lower-cased value.</summary>
    static readonly Dictionary<string, (string Column, ColumnKind Kind)> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["userName"] = ("user_name_key", ColumnKind.LowerCasedText),
        ["externalId"] = ("external_id", ColumnKind.Text),
        ["id"] = ("id", ColumnKind.Text),
        ["active"] = ("active", ColumnKind.Boolean),
        ["meta.created"] = ("created_at", ColumnKind.Time),
        ["meta.lastModified"] = ("last_modified", ColumnKind.Time),
    };

    enum ColumnKind { Text, LowerCasedText, Boolean, Time }

    public SqlCondition Translate(ScimFilter filter)
    {
        var parameters = new List<KeyValuePair<string, object?>>();
        var sql = Visit(filter, parameters);
        return new SqlCondition(sql, parameters);
    }

    string Visit(ScimFilter filter, List<KeyValuePair<string, object?>> parameters) => filter switch
    {
        LogicalFilter logical => $"({Visit(logical.Left, parameters)} {(logical.Operator == LogicalOperator.And ? "AND" : "OR")} {Visit(logical.Right, parameters)})",
        NotFilter not => $"(NOT {Visit(not.Operand, parameters)})",
        PresentFilter present => Present(Resolve(present.Path)),
        ComparisonFilter comparison => Compare(comparison, Resolve(comparison.Path), parameters),
        ValuePathFilter valuePath => throw Unsupported(valuePath.Path),
        _ => throw ScimException.InvalidFilter($"The filter '{filter}' is not supported."),
    };

    static (string Column, ColumnKind Kind) Resolve(AttributePath path)
    {
        var name = path.SubAttribute is null ? path.Attribute.Name : $"{path.Attribute.Name}.{path.SubAttribute.Name}";
        if (path.IsExtension || !Columns.TryGetValue(name, out var column)) throw Unsupported(path);
        return column;
    }

    static ScimException Unsupported(AttributePath path) => ScimException.InvalidFilter(
        $"Filtering Users on '{path}' is not supported; filter on {string.Join(", ", Columns.Keys)}.");

    string Present((string Column, ColumnKind Kind) target) => target.Kind switch
    {
        ColumnKind.Text or ColumnKind.LowerCasedText => $"({target.Column} IS NOT NULL AND {target.Column} <> '')",
        _ => $"({target.Column} IS NOT NULL)",
    };

    string Compare(ComparisonFilter comparison, (string Column, ColumnKind Kind) target, List<KeyValuePair<string, object?>> parameters)
    {
        var (column, kind) = target;
        var op = comparison.Operator;

        if (comparison.Value is NullLiteral)
        {
            return op switch
            {
                ComparisonOperator.Equal => $"({column} IS NULL)",
                ComparisonOperator.NotEqual => $"({column} IS NOT NULL)",
                _ => throw ScimException.InvalidFilter($"'{comparison.Path} {op.ToToken()} null': null can only be compared with eq or ne."),
            };
        }

        object value = kind switch
        {
            ColumnKind.Boolean => comparison.Value is BooleanLiteral b && op is ComparisonOperator.Equal or ComparisonOperator.NotEqual
                ? b.Value
                : throw ScimException.InvalidFilter($"'{comparison.Path}' is a boolean: compare it with eq or ne and true or false."),
            ColumnKind.Time => comparison.Value is StringLiteral s && DateTimeOffset.TryParse(s.Value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) && !op.IsSubstring()
                ? time.ToUnixTimeMilliseconds()
                : throw ScimException.InvalidFilter($"'{comparison.Path}' is a dateTime: compare it with eq, ne, gt, ge, lt or le and a value such as \"2026-01-31T00:00:00Z\"."),
            _ => comparison.Value is StringLiteral text
                ? kind == ColumnKind.LowerCasedText ? MemberColumns.Key(text.Value) : text.Value
                : throw ScimException.InvalidFilter($"'{comparison.Path}' is a string: compare it with a quoted value."),
        };

        var parameter = $"@f{parameters.Count}";
        parameters.Add(new(parameter, value));
        var present = $"{column} IS NOT NULL";
        return op switch
        {
            ComparisonOperator.Equal => $"({present} AND {column} = {parameter})",
            ComparisonOperator.NotEqual => $"({present} AND {column} <> {parameter})",
            ComparisonOperator.Contains => $"({present} AND {dialect.Contains(column, parameter)})",
            ComparisonOperator.StartsWith => $"({present} AND {dialect.StartsWith(column, parameter)})",
            ComparisonOperator.EndsWith => $"({present} AND {dialect.EndsWith(column, parameter)})",
            ComparisonOperator.GreaterThan => $"({present} AND {column} > {parameter})",
            ComparisonOperator.GreaterThanOrEqual => $"({present} AND {column} >= {parameter})",
            ComparisonOperator.LessThan => $"({present} AND {column} < {parameter})",
            ComparisonOperator.LessThanOrEqual => $"({present} AND {column} <= {parameter})",
            _ => throw ScimException.InvalidFilter($"The operator '{op.ToToken()}' is not supported."),
        };
    }
}
