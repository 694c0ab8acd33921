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
        ListSort? sort = null;
        if (list.SortBy is { } sortBy)
        {
            PatchPath path;
            try
            {
                path = ScimPathParser.Parse(sortBy, userType);
            }
            catch (ScimException e)
            {
                throw ScimException.InvalidValue($"sortBy: {e.Detail}");
            }
            if (path.ValueFilter is not null) throw ScimException.InvalidValue($"sortBy '{sortBy}' must be an attribute, without a filter.");
            sort = translator.Sort(path.Attribute, list.SortOrder);
        }
        return new MemberQuery(condition, sort);
    }
}
