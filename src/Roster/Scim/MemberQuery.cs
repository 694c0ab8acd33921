using Roster.Directory.Members;
using Roster.Directory.Storage;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;

namespace Roster.Scim;

/// <summary>The <c>filter</c> of a list request, parsed by the SCIM grammar and translated to SQL.</summary>
internal static class MemberQuery
{
    public static SqlCondition? FromQuery(IQueryCollection query, SqlDialect dialect)
    {
        var text = QueryValue(query, "filter");
        if (text is null) return null;
        if (text.Trim().Length == 0) throw Errors.ScimException.InvalidFilter("The filter is empty.");
        var filter = ScimFilterParser.Parse(text, ScimSchemas.UserResourceType);
        return new MemberFilterTranslator(dialect).Translate(filter);
    }

    /// <summary>Query parameter names are matched without regard to case, as SCIM clients vary.</summary>
    public static string? QueryValue(IQueryCollection query, string name)
    {
        foreach (var (key, values) in query)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return values.ToString();
        }
        return null;
    }
}
