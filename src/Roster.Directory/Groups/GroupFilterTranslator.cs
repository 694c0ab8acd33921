using System.Globalization;
using Roster.Directory.Storage;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;

namespace Roster.Directory.Groups;

/// <summary>
/// Translates a Group filter to SQL over the groups table: <c>displayName eq</c> (without regard to
/// case), <c>externalId eq</c>, <c>id eq</c> and <c>members[value eq "id"]</c> (or <c>members.value eq</c>),
/// joined with <c>and</c>, <c>or</c> and <c>not</c>: the lookups Okta and Entra make. Anything else is
/// refused with invalidFilter rather than ignored.
/// </summary>
public sealed class GroupFilterTranslator
{
    readonly List<KeyValuePair<string, object?>> parameters = [];

    public SqlCondition Translate(ScimFilter filter)
    {
        parameters.Clear();
        var sql = Node(filter);
        return new SqlCondition(sql, parameters.ToList());
    }

    string Node(ScimFilter filter) => filter switch
    {
        LogicalFilter l => $"({Node(l.Left)} {(l.Operator == LogicalOperator.And ? "AND" : "OR")} {Node(l.Right)})",
        NotFilter n => $"NOT ({Node(n.Operand)})",
        ComparisonFilter { Operator: ComparisonOperator.Equal, Value: StringLiteral s } c when c.Path.Parent is null => Comparison(c, s.Value),
        ValuePathFilter v when v.Path.AttributeName == "members" && v.Path.SubAttribute is null =>
            $"EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = groups.id AND {MemberNode(v.Filter)})",
        _ => throw Unsupported(filter),
    };

    string Comparison(ComparisonFilter c, string value)
    {
        switch (c.Path.AttributeName, c.Path.SubAttributeName)
        {
            case ("displayName", null):
                return $"display_name_key = {Parameter(GroupDirectory.Key(value))}";
            case ("externalId", null):
                return $"external_id = {Parameter(value)}";
            case ("id", null):
                return $"id = {Parameter(value)}";
            case ("members", "value"):
                return $"EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = groups.id AND gm.member_id = {Parameter(value)})";
            default:
                throw Unsupported(c);
        }
    }

    /// <summary>The filter inside <c>members[...]</c>: comparisons of <c>value</c>.</summary>
    string MemberNode(ScimFilter filter) => filter switch
    {
        LogicalFilter l => $"({MemberNode(l.Left)} {(l.Operator == LogicalOperator.And ? "AND" : "OR")} {MemberNode(l.Right)})",
        ComparisonFilter { Operator: ComparisonOperator.Equal, Value: StringLiteral s } c when c.Path.AttributeName == "value" =>
            $"gm.member_id = {Parameter(s.Value)}",
        _ => throw Unsupported(filter),
    };

    string Parameter(object value)
    {
        var name = "@gf" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add(KeyValuePair.Create(name, (object?)value));
        return name;
    }

    static ScimException Unsupported(ScimFilter filter) => ScimException.InvalidFilter(
        $"Groups can be filtered with displayName eq, externalId eq, id eq and members[value eq \"...\"], joined with and, or, not; '{filter}' is not supported.");
}
