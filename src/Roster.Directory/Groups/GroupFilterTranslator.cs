using System.Globalization;
using Roster.Directory.Storage;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Resources;

namespace Roster.Directory.Groups;

/// <summary>
/// Translates a Group filter, and a sort key, to SQL over the groups table: the whole grammar
/// (every operator, <c>and</c>, <c>or</c>, <c>not</c>, value filters) on the attributes a Group has:
/// <c>displayName</c> (compared through its lower-cased key), <c>externalId</c>, <c>id</c>,
/// <c>meta.created</c>, <c>meta.lastModified</c>, and <c>members</c>, whose values are answered from
/// group_members. Comparisons follow <see cref="ScimFilterEvaluator"/>'s rules, as for Users.
/// </summary>
public sealed class GroupFilterTranslator(SqlDialect dialect)
{
    enum Kind { Text, LowerCasedText, Time }

    static readonly Dictionary<string, (string Column, Kind Kind)> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["displayName"] = ("display_name_key", Kind.LowerCasedText),
        ["externalId"] = ("external_id", Kind.Text),
        ["id"] = ("id", Kind.Text),
        ["meta.created"] = ("created_at", Kind.Time),
        ["meta.lastModified"] = ("last_modified", Kind.Time),
    };

    const string MemberColumn = "gm.member_id";

    readonly List<KeyValuePair<string, object?>> parameters = [];

    public SqlCondition Translate(ScimFilter filter)
    {
        parameters.Clear();
        var sql = Node(filter, inMembers: false);
        return new SqlCondition(sql, parameters.ToList());
    }

    /// <summary>The ORDER BY key for <c>sortBy</c>: a singular attribute of the Group.</summary>
    public static string OrderBy(AttributePath path, SortOrder order) => Sort(path, order).OrderBy;

    public static ListSort Sort(AttributePath path, SortOrder order) =>
        Columns.TryGetValue(Name(path), out var column)
            ? new ListSort(column.Column, order == SortOrder.Descending)
            : throw ScimException.InvalidValue($"Groups can be sorted by {string.Join(", ", Columns.Keys)}, not '{path}'.");

    string Node(ScimFilter filter, bool inMembers) => filter switch
    {
        LogicalFilter l => $"({Node(l.Left, inMembers)} {(l.Operator == LogicalOperator.And ? "AND" : "OR")} {Node(l.Right, inMembers)})",
        NotFilter n => $"(NOT {Node(n.Operand, inMembers)})",
        ValuePathFilter v when !inMembers && IsMembers(v.Path) => AnyMember(Node(v.Filter, inMembers: true)),
        PresentFilter p => Present(p.Path, inMembers),
        ComparisonFilter { Value: NullLiteral } c => c.Operator == ComparisonOperator.NotEqual
            ? Present(c.Path, inMembers)
            : $"(NOT {Present(c.Path, inMembers)})",
        ComparisonFilter c => Compare(c, inMembers),
        _ => throw Unsupported(filter),
    };

    string Present(AttributePath path, bool inMembers)
    {
        if (inMembers || IsMembers(path)) return inMembers ? MemberValue(path, "true") : AnyMember("TRUE");
        var (column, kind) = Column(path);
        return SqlComparison.Present(column, kind != Kind.Time);
    }

    string Compare(ComparisonFilter comparison, bool inMembers)
    {
        if (inMembers || IsMembers(comparison.Path))
        {
            // A member's value is the id of a User: case-exact text.
            if (comparison.Value is not StringLiteral id) throw ScimException.InvalidFilter($"'{comparison.Path}' is a member id: compare it with a quoted value.");
            var test = SqlComparison.Build(dialect, MemberColumn, comparison.Operator, Parameter(id.Value));
            return inMembers ? MemberValue(comparison.Path, test) : AnyMember(test);
        }
        var (column, kind) = Column(comparison.Path);
        object value = kind switch
        {
            Kind.Time => comparison.Value is StringLiteral s && !comparison.Operator.IsSubstring()
                && DateTimeOffset.TryParse(s.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                ? time.ToUnixTimeMilliseconds()
                : throw ScimException.InvalidFilter($"'{comparison.Path}' is a dateTime: compare it with eq, ne, gt, ge, lt or le and a value such as \"2026-01-31T00:00:00Z\"."),
            _ => comparison.Value is StringLiteral text
                ? kind == Kind.LowerCasedText ? GroupDirectory.Key(text.Value) : text.Value
                : throw ScimException.InvalidFilter($"'{comparison.Path}' is a string: compare it with a quoted value."),
        };
        return SqlComparison.Build(dialect, column, comparison.Operator, Parameter(value));
    }

    /// <summary>Inside <c>members[...]</c> only <c>value</c> (the member's id) is stored.</summary>
    static string MemberValue(AttributePath path, string test) =>
        path.AttributeName == "value" ? test : throw ScimException.InvalidFilter($"Inside members[...] filter on value (a member's id), not '{path}'.");

    static string AnyMember(string condition) =>
        $"EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = groups.id AND {condition})";

    static bool IsMembers(AttributePath path) =>
        path.Parent is null && path.AttributeName == "members" && path.SubAttributeName is null or "value";

    static (string Column, Kind Kind) Column(AttributePath path) =>
        path.Parent is null && Columns.TryGetValue(Name(path), out var column)
            ? column
            : throw ScimException.InvalidFilter($"Groups are filtered on {string.Join(", ", Columns.Keys)} and members; '{path}' is not supported.");

    static string Name(AttributePath path) => path.SubAttribute is null ? path.Attribute.Name : $"{path.Attribute.Name}.{path.SubAttribute.Name}";

    string Parameter(object value)
    {
        var name = "@gf" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add(KeyValuePair.Create(name, (object?)value));
        return name;
    }

    static ScimException Unsupported(ScimFilter filter) => ScimException.InvalidFilter($"The Group filter '{filter}' is not supported.");
}
