using Roster.Scim.Errors;

namespace Roster.Directory.Identity;

/// <summary>A create refused because its person exists as a member not linked to SCIM and may not be
/// adopted: a 409 uniqueness whose detail says why, carrying the member for the conflict an admin resolves.</summary>
public sealed class LinkingRefusedException(string memberId, string detail) : ScimException(409, ScimErrorType.Uniqueness, detail)
{
    /// <summary>The member matched; empty when several matched.</summary>
    public string MemberId { get; } = memberId;
}
