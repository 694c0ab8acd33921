using Roster.Scim.Errors;
using Roster.Scim.Filtering;

namespace Roster.Directory.Storage;

/// <summary>
/// A SCIM comparison as SQL that is true or false, never NULL: an absent value satisfies no
/// comparison (<see cref="ScimFilterEvaluator"/>'s rule), so <c>not</c> and <c>or</c> mean what SCIM
/// says. Shared by the translators of every resource type.
/// </summary>
public static class SqlComparison
{
    public static string Build(SqlDialect dialect, string column, ComparisonOperator op, string parameter)
    {
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

    /// <summary><c>pr</c>: a value, and for text a non-empty one.</summary>
    public static string Present(string column, bool isText) =>
        isText ? $"({column} IS NOT NULL AND {column} <> '')" : $"({column} IS NOT NULL)";
}
