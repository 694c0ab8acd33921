namespace Roster.Directory.Tokens;

/// <summary>A SCIM bearer token as stored: everything but the secret, which only its creator saw.</summary>
public sealed record ScimToken(
    string Id, string EnterpriseId, string Name, string Hint, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public string Status(DateTimeOffset now) =>
        RevokedAt is not null ? "revoked" : ExpiresAt is { } expires && expires <= now ? "expired" : "active";
}

/// <summary>A token just made: the only moment its secret exists outside the IdP it is pasted into.</summary>
public sealed record IssuedScimToken(ScimToken Token, string Secret);

/// <summary>The outcome of presenting a bearer token on an enterprise's SCIM URL.</summary>
/// <param name="ScimEnabled">Whether the enterprise's SCIM provisioning is on, read with the token in
/// the same query: a valid token of an enterprise with SCIM off opens nothing.</param>
/// <param name="PresentedTokenId">On a refusal, the id of this enterprise's token that was presented
/// (revoked or expired), so the log can say which one the IdP still sends; null when none of its tokens was.</param>
/// <param name="Schemas">The enterprise's declared schemas as of this request, read in the same query:
/// what decides whether its User resource type must be built again (<see cref="Schemas.DeclaredSchemaStamp"/>).</param>
public sealed record TokenCheck(ScimToken? Token, string? Failure, bool ScimEnabled = false, string? PresentedTokenId = null,
    Schemas.DeclaredSchemaStamp? Schemas = null)
{
    public bool Succeeded => Token is not null;
}
