using Roster.Scim.Errors;
using Roster.Scim.Schema;

namespace Roster.Scim.Filtering;

/// <summary>Parses the <c>filter</c> query parameter (RFC 7644 §3.4.2.2) into a <see cref="ScimFilter"/>.</summary>
public static class ScimFilterParser
{
    /// <summary>The longest filter text accepted.</summary>
    public const int MaxLength = FilterParser.MaxLength;

    /// <summary>The deepest nesting of parentheses, <c>not</c> and value filters accepted.</summary>
    public const int MaxDepth = FilterParser.MaxDepth;

    /// <summary>
    /// Parses <paramref name="text"/> (already URL-decoded) against the attributes of
    /// <paramref name="resourceType"/>.
    /// </summary>
    /// <exception cref="ScimException">invalidFilter, with the position and what was expected there; also
    /// for unknown attributes, type mismatches, nesting deeper than <see cref="MaxDepth"/> and texts longer
    /// than <see cref="MaxLength"/>.</exception>
    public static ScimFilter Parse(string text, ResourceTypeDefinition resourceType) =>
        new FilterParser(text, resourceType, "filter", ScimException.InvalidFilter).ParseFilter();
}
