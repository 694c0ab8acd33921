using System.Data.Common;
using Roster.Directory.Storage;

namespace Roster.Directory.AdminConsole;

/// <summary>
/// Sessions of owner accounts in the console (members with an admin role use their SAML session
/// instead). Only the SHA-256 of a session's secret is kept; a session lasts at most eight hours, and
/// ends at sign-out.
/// </summary>
public sealed class ConsoleSessions(RosterDatabase database, TimeProvider clock)
{
    public const string SecretPrefix = "rcs_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public sealed record OpenedSession(string Id, string Secret, DateTimeOffset ExpiresAt);

    public sealed record ActiveSession(string Id, string OwnerId, string EnterpriseId);

    internal static async Task<OpenedSession> OpenAsync(DbConnection connection, DbTransaction transaction, string enterpriseId, string ownerId,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var session = new OpenedSession(Identifiers.NewId(), Identifiers.NewSecret(SecretPrefix), now + Lifetime);
        await connection.Command(
                "INSERT INTO console_sessions (id, enterprise_id, owner_id, token_hash, created_at, expires_at) VALUES (@id, @e, @o, @hash, @now, @exp)",
                transaction)
            .With("@id", session.Id).With("@e", enterpriseId).With("@o", ownerId).With("@hash", Identifiers.HashSecret(session.Secret))
            .With("@now", now.ToDb()).With("@exp", session.ExpiresAt.ToDb()).ExecuteAsync(cancellationToken);
        return session;
    }

    /// <summary>The open session the secret belongs to, if its owner account still exists.</summary>
    public Task<ActiveSession?> ValidateAsync(string secret, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command(
                "SELECT s.id, s.owner_id, s.enterprise_id FROM console_sessions s " +
                "JOIN console_owners o ON o.id = s.owner_id AND o.enterprise_id = s.enterprise_id " +
                "WHERE s.token_hash = @hash AND s.ended_at IS NULL AND s.expires_at > @now")
            .With("@hash", Identifiers.HashSecret(secret)).With("@now", clock.GetUtcNow().ToDb())
            .SingleOrDefaultAsync(r => new ActiveSession(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken), cancellationToken);

    /// <summary>Ends the session the secret belongs to; nothing happens for one that names no open session.</summary>
    public Task EndAsync(string secret, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync((connection, transaction) => connection.Command(
                "UPDATE console_sessions SET ended_at = @now WHERE token_hash = @hash AND ended_at IS NULL", transaction)
            .With("@now", clock.GetUtcNow().ToDb()).With("@hash", Identifiers.HashSecret(secret)).ExecuteAsync(cancellationToken), cancellationToken);
}
