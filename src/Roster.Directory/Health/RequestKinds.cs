namespace Roster.Directory.Health;

/// <summary>
/// The kind of a logged request, from what the log recorded: a success, a refused authentication by
/// its reason (which the SCIM host writes in fixed words, see ScimTokenStore.AuthenticateAsync), SCIM
/// turned off, or a SCIM error by its scimType.
/// </summary>
public static class RequestKinds
{
    public const string Succeeded = "succeeded";
    public const string NoToken = "no token";
    public const string NotBearer = "not a bearer token";
    public const string UnknownToken = "unknown token";
    public const string RevokedToken = "revoked token";
    public const string ExpiredToken = "expired token";
    public const string TokenAtOtherUrl = "token sent to another enterprise's URL";
    public const string ScimOff = "SCIM off";
    public const string OutsideDomains = "address outside the enterprise's domains";
    public const string Failed = "failed";

    /// <summary>The words the SCIM host records when one of an enterprise's tokens is presented at
    /// another enterprise's URL (or at one of no enterprise): the entry goes to the token's own
    /// enterprise, and names neither the other enterprise nor its URL.</summary>
    public const string PresentedElsewhereReason = "was presented at the SCIM URL of another enterprise";

    public static string Of(bool failed, int status, string? scimType, string? reason)
    {
        if (!failed) return Succeeded;
        if (status == 403) return ScimOff;
        if (status == 400 && reason is not null && reason.EndsWith(Identity.EnterpriseDomains.RefusedReason, StringComparison.Ordinal)) return OutsideDomains;
        if (status != 401) return scimType ?? Failed;
        var text = reason ?? "";
        if (text.Contains(PresentedElsewhereReason, StringComparison.Ordinal)) return TokenAtOtherUrl;
        if (text.EndsWith("was revoked", StringComparison.Ordinal)) return RevokedToken;
        if (text.EndsWith(") expired", StringComparison.Ordinal)) return ExpiredToken;
        if (text.Contains("not a bearer token", StringComparison.Ordinal)) return NotBearer;
        if (text.Contains("not a token of this enterprise", StringComparison.Ordinal)) return UnknownToken;
        return NoToken;
    }
}
