using System.Diagnostics.CodeAnalysis;
using Roster.Scim.Errors;
using Roster.Scim.Schema;

namespace Roster.Scim.Filtering;

/// <summary>Parses the <c>path</c> of a PATCH operation (RFC 7644 §3.5.2) into a <see cref="PatchPath"/>.</summary>
public static class ScimPathParser
{
    /// <exception cref="ScimException">invalidPath, with the position and what was expected there; also for
    /// unknown attributes and for a value filter on an attribute that is not multi-valued and complex.</exception>
    public static PatchPath Parse(string text, ResourceTypeDefinition resourceType) =>
        new FilterParser(text, resourceType, "path", ScimException.InvalidPath).ParsePatchPath();

    /// <summary>Like <see cref="Parse"/>, but answers false instead of throwing; for the keys of a PATCH
    /// value without path, where an unknown key is to be ignored, not refused.</summary>
    public static bool TryParse(string text, ResourceTypeDefinition resourceType, [NotNullWhen(true)] out PatchPath? path)
    {
        try
        {
            path = Parse(text, resourceType);
            return true;
        }
        catch (ScimException)
        {
            path = null;
            return false;
        }
    }
}
