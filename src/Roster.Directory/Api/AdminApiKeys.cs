using System.Data.Common;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.Api;

/// <summary>
/// The admin API keys of each enterprise: created (the key shown once, its SHA-256 kept), listed
/// without the key, revoked, optionally expiring. A key opens exactly one enterprise; authenticating
/// finds it by its hash alone, and the caller learns nothing of why a key was refused.
/// </summary>
public sealed class AdminApiKeys(RosterDatabase database, TimeProvider clock)
{
    /// <summary>"Roster admin key": a prefix secret scanners can recognise, distinct from SCIM tokens' rst_.</summary>
    public const string KeyPrefix = "rak_";
    public const int MaxNameLength = 200;
    const string Columns = "k.id, k.enterprise_id, k.name, k.hint, k.created_at, k.expires_at, k.last_used_at, k.revoked_at";

    // last_used_at is advisory: written at most once a minute per key, so that a busy script does not
    // cost a write (and SQLite's single write lock) on every request.
    static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Creates a key, recording in the same transaction that <paramref name="actor"/> did.</summary>
    /// <exception cref="RosterException">The expiry is not in the future, or the name is too long.</exception>
    public async Task<IssuedAdminApiKey> CreateAsync(Enterprise enterprise, string? name, DateTimeOffset? expiresAt, AuditActor? actor,
        CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (expiresAt is { } e && e <= now) throw new RosterException("The expiry must be in the future.");
        var trimmed = string.IsNullOrWhiteSpace(name) ? "API key" : name.Trim();
        if (trimmed.Length > MaxNameLength) throw new RosterException($"A key's name is at most {MaxNameLength} characters.");
        if (trimmed.Any(char.IsControl)) throw new RosterException("A key's name has no control characters.");
        var key = Identifiers.NewSecret(KeyPrefix);
        var apiKey = new AdminApiKey(Identifiers.NewId(), enterprise.Id, trimmed, key[^4..], now, expiresAt, null, null);
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.Command(
                    "INSERT INTO admin_api_keys (id, enterprise_id, name, hint, created_at, expires_at, last_used_at, revoked_at, key_hash) " +
                    "VALUES (@id, @e, @name, @hint, @created, @expires, NULL, NULL, @hash)", transaction)
                .With("@id", apiKey.Id).With("@e", enterprise.Id).With("@name", apiKey.Name).With("@hint", apiKey.Hint)
                .With("@created", now.ToDb()).With("@expires", expiresAt.ToDb()).With("@hash", Identifiers.HashSecret(key))
                .ExecuteAsync(cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.ApiKeyCreated,
                $"API key '{apiKey.Name}' ({apiKey.Id}) created" + (expiresAt is { } expiry ? $", expires {expiry.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : ", no expiry"),
                now, cancellationToken);
        }, cancellationToken);
        return new IssuedAdminApiKey(apiKey, key);
    }

    /// <summary>The enterprise's keys, oldest first, without the keys themselves (Roster has only their hashes).</summary>
    public Task<List<AdminApiKey>> ListAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command($"SELECT {Columns} FROM admin_api_keys k WHERE k.enterprise_id = @e ORDER BY k.created_at, k.id")
            .With("@e", enterprise.Id).ListAsync(Read, cancellationToken), cancellationToken);

    /// <summary>Revokes a key of this enterprise, recording in the same transaction that <paramref name="actor"/>
    /// did; it is refused from the next request on. Revoking a revoked key changes nothing.</summary>
    /// <exception cref="RosterException">No key of this enterprise has that id (another enterprise's included).</exception>
    public Task<AdminApiKey> RevokeAsync(Enterprise enterprise, string keyId, AuditActor? actor, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var apiKey = await connection.Command($"SELECT {Columns} FROM admin_api_keys k WHERE k.enterprise_id = @e AND k.id = @id{database.Dialect.ForUpdate}",
                                 transaction)
                             .With("@e", enterprise.Id).With("@id", keyId).SingleOrDefaultAsync(Read, cancellationToken)
                         ?? throw new RosterException($"Enterprise '{enterprise.Slug}' has no API key '{keyId}'.");
            if (apiKey.RevokedAt is not null) return apiKey;
            var now = clock.GetUtcNow();
            await connection.Command("UPDATE admin_api_keys SET revoked_at = @now WHERE id = @id", transaction)
                .With("@now", now.ToDb()).With("@id", apiKey.Id).ExecuteAsync(cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.ApiKeyRevoked,
                $"API key '{apiKey.Name}' ({apiKey.Id}) revoked", now, cancellationToken);
            return apiKey with { RevokedAt = now };
        }, cancellationToken);

    /// <summary>The live key <paramref name="key"/> is, with its enterprise; null for a missing, unknown,
    /// revoked or expired key alike, so that nothing tells a caller which it was. Looked up by the unique
    /// hash, not scoped to an enterprise: the key names its enterprise.</summary>
    public async Task<AuthenticatedApiKey?> AuthenticateAsync(string? key, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 200) return null;
        var hash = Identifiers.HashSecret(key);
        var found = await database.ReadAsync(c => c.Command(
                    $"SELECT {Columns}, e.slug, e.name, e.created_at FROM admin_api_keys k JOIN enterprises e ON e.id = k.enterprise_id WHERE k.key_hash = @hash")
                .With("@hash", hash)
                .SingleOrDefaultAsync(r => new AuthenticatedApiKey(Read(r), new Enterprise(r.GetString(1), r.GetString(8), r.GetString(9), r.Time(10))),
                    cancellationToken),
            cancellationToken);
        if (found is null) return null;
        var now = clock.GetUtcNow();
        var apiKey = found.ApiKey;
        if (apiKey.RevokedAt is not null || apiKey.ExpiresAt is { } expires && expires <= now) return null;
        if (apiKey.LastUsedAt is null || now - apiKey.LastUsedAt.Value >= LastUsedResolution)
        {
            await database.InTransactionAsync((connection, transaction) =>
                connection.Command("UPDATE admin_api_keys SET last_used_at = @now WHERE id = @id", transaction)
                    .With("@now", now.ToDb()).With("@id", apiKey.Id).ExecuteAsync(cancellationToken), cancellationToken);
            found = found with { ApiKey = apiKey with { LastUsedAt = now } };
        }
        return found;
    }

    static AdminApiKey Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.Time(4), r.TimeOrNull(5), r.TimeOrNull(6), r.TimeOrNull(7));
}
