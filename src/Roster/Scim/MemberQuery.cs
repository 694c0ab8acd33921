using Roster.Directory.Members;
using Roster.Directory.Storage;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Scim;

/// <summary>A list request over Users turned into SQL: the filter parsed by the SCIM grammar and
/// translated, and the sort key resolved against the enterprise's User resource type (its declared
/// schemas included).</summary>
internal sealed record MemberQuery(SqlCondition? Condition, ListSort? Sort)
{
    public string? OrderBy => Sort?.OrderBy;

    public static MemberQuery From(ListRequest list, ResourceTypeDefinition userType, SqlDialect dialect)
    {
        var translator = new MemberFilterTranslator(dialect);
        SqlCondition? condition = null;
        if (list.Filter is { } text)
        {
            if (text.Trim().Length == 0) throw ScimException.InvalidFilter("The filter is empty.");
            condition = translator.Translate(ScimFilterParser.Parse(text, userType));
        }
        var sort = list.SortAttribute(userType) is { } attribute ? translator.Sort(attribute, list.SortOrder) : null;
        return new MemberQuery(condition, sort);
    }
}
