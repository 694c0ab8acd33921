using Roster.Directory.Enterprises;

namespace Roster.Directory.Api;

/// <summary>An admin API key as stored: everything but the key, which only its creator saw.</summary>
public sealed record AdminApiKey(
    string Id, string EnterpriseId, string Name, string Hint, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public string Status(DateTimeOffset now) =>
        RevokedAt is not null ? "revoked" : ExpiresAt is { } expires && expires <= now ? "expired" : "active";
}

/// <summary>A key just made: the only moment the key exists outside the script it is pasted into.</summary>
public sealed record IssuedAdminApiKey(AdminApiKey ApiKey, string Key);

/// <summary>A key that opened the admin API, and the one enterprise it opens.</summary>
public sealed record AuthenticatedApiKey(AdminApiKey ApiKey, Enterprise Enterprise);
