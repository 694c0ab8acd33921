using System.Data.Common;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.Tokens;

public sealed class ScimTokenStore(RosterDatabase database, TimeProvider clock)
{
    public const string SecretPrefix = "rst_";
    public const int MaxNameLength = 200;
    const string Columns = "id, enterprise_id, name, hint, created_at, expires_at, last_used_at, revoked_at";
    const string QualifiedColumns = "t.id, t.enterprise_id, t.name, t.hint, t.created_at, t.expires_at, t.last_used_at, t.revoked_at";

    // last_used_at is advisory: written at most once a minute per token, so that authenticating a
    // request does not cost a write (and SQLite's single write lock) every time.
    static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Creates a token without an audit entry: for set-up that is no admin's action (tests).</summary>
    internal Task<IssuedScimToken> CreateAsync(Enterprise enterprise, string? name, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default) =>
        CreateAsync(enterprise, name, expiresAt, actor: null, cancellationToken);

    /// <summary>Creates a token, recording in the same transaction that <paramref name="actor"/> did.</summary>
    public async Task<IssuedScimToken> CreateAsync(Enterprise enterprise, string? name, DateTimeOffset? expiresAt, AuditActor? actor,
        CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (expiresAt is { } e && e <= now) throw new RosterException("The expiry must be in the future.");
        var secret = Identifiers.NewSecret(SecretPrefix);
        var token = new ScimToken(Identifiers.NewId(), enterprise.Id, string.IsNullOrWhiteSpace(name) ? "SCIM token" : name.Trim(),
            secret[^4..], now, expiresAt, null, null);
        if (token.Name.Length > MaxNameLength) throw new RosterException($"A token's name is at most {MaxNameLength} characters.");
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.Command($"INSERT INTO scim_tokens ({Columns}, token_hash) VALUES (@id, @e, @name, @hint, @created, @expires, NULL, NULL, @hash)", transaction)
                .With("@id", token.Id).With("@e", token.EnterpriseId).With("@name", token.Name).With("@hint", token.Hint)
                .With("@created", now.ToDb()).With("@expires", expiresAt.ToDb()).With("@hash", Identifiers.HashSecret(secret))
                .ExecuteAsync(cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.ScimTokenCreated,
                $"SCIM token '{token.Name}' ({token.Id}) created" + (expiresAt is { } expiry ? $", expires {expiry.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : ", no expiry"),
                now, cancellationToken);
        }, cancellationToken);
        return new IssuedScimToken(token, secret);
    }

    public Task<List<ScimToken>> ListAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command($"SELECT {Columns} FROM scim_tokens WHERE enterprise_id = @e ORDER BY created_at, id")
            .With("@e", enterprise.Id).ListAsync(Read, cancellationToken), cancellationToken);

    /// <summary>Revokes a token of this enterprise; it stops working with the next request.</summary>
    internal Task<ScimToken> RevokeAsync(Enterprise enterprise, string tokenId, CancellationToken cancellationToken = default) =>
        RevokeAsync(enterprise, tokenId, actor: null, cancellationToken);

    /// <summary>Revokes a token of this enterprise, recording in the same transaction that <paramref name="actor"/> did.</summary>
    public async Task<ScimToken> RevokeAsync(Enterprise enterprise, string tokenId, AuditActor? actor, CancellationToken cancellationToken = default)
    {
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            var token = await connection.Command($"SELECT {Columns} FROM scim_tokens WHERE enterprise_id = @e AND id = @id{database.Dialect.ForUpdate}", transaction)
                .With("@e", enterprise.Id).With("@id", tokenId).SingleOrDefaultAsync(Read, cancellationToken)
                ?? throw new RosterException($"Enterprise '{enterprise.Slug}' has no token '{tokenId}'.");
            if (token.RevokedAt is not null) return token;
            var now = clock.GetUtcNow();
            await connection.Command("UPDATE scim_tokens SET revoked_at = @now WHERE id = @id", transaction)
                .With("@now", now.ToDb()).With("@id", tokenId).ExecuteAsync(cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.ScimTokenRevoked,
                $"SCIM token '{token.Name}' ({token.Id}) revoked", now, cancellationToken);
            return token with { RevokedAt = now };
        }, cancellationToken);
    }

    /// <summary>Checks a presented secret against the enterprise it was presented to. A token of
    /// another enterprise is as unknown here as a made-up one.</summary>
    public async Task<TokenCheck> AuthenticateAsync(Enterprise enterprise, string? secret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(secret)) return new TokenCheck(null, "no bearer token was sent");
        var hash = Identifiers.HashSecret(secret);
        // The enterprise's SCIM switch comes with the token: every request reads it fresh (it changes
        // while the server runs), and no request pays a second query for it.
        var found = await database.ReadAsync(c => c.PreparedCommand(
                $"SELECT {QualifiedColumns}, e.scim_enabled, {Schemas.DeclaredSchemaStamp.Columns} FROM scim_tokens t JOIN enterprises e ON e.id = t.enterprise_id " +
                "WHERE t.token_hash = @hash AND t.enterprise_id = @e")
            .With("@hash", hash).With("@e", enterprise.Id)
            .SingleOrDefaultAsync(r => new { Token = Read(r), ScimEnabled = r.GetBoolean(8), Schemas = Schemas.DeclaredSchemaStamp.Read(r, 9) },
                cancellationToken), cancellationToken);
        var now = clock.GetUtcNow();
        if (found is null) return new TokenCheck(null, "the bearer token is not a token of this enterprise");
        var token = found.Token;
        if (token.RevokedAt is not null) return new TokenCheck(null, $"the bearer token '{token.Name}' ({token.Id}) was revoked", PresentedTokenId: token.Id);
        if (token.ExpiresAt is { } expires && expires <= now) return new TokenCheck(null, $"the bearer token '{token.Name}' ({token.Id}) expired", PresentedTokenId: token.Id);

        if (token.LastUsedAt is null || now - token.LastUsedAt.Value >= LastUsedResolution)
        {
            await database.InTransactionAsync((connection, transaction) =>
                connection.Command("UPDATE scim_tokens SET last_used_at = @now WHERE id = @id", transaction)
                    .With("@now", now.ToDb()).With("@id", token.Id).ExecuteAsync(cancellationToken), cancellationToken);
            token = token with { LastUsedAt = now };
        }
        return new TokenCheck(token, null, found.ScimEnabled, Schemas: found.Schemas);
    }

    /// <summary>The token a secret is, of whichever enterprise, or null. The one lookup not scoped to an
    /// enterprise, by the unique hash: only for telling a token's own enterprise that its token was
    /// sent to another enterprise's URL (nothing of it reaches the caller or that other enterprise).</summary>
    public async Task<ScimToken?> FindBySecretAsync(string? secret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(secret)) return null;
        var hash = Identifiers.HashSecret(secret);
        return await database.ReadAsync(c => c.Command($"SELECT {Columns} FROM scim_tokens WHERE token_hash = @hash")
            .With("@hash", hash).SingleOrDefaultAsync(Read, cancellationToken), cancellationToken);
    }

    static ScimToken Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.Time(4), r.TimeOrNull(5), r.TimeOrNull(6), r.TimeOrNull(7));
}
