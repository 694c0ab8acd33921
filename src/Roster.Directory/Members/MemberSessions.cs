using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.Members;

/// <summary>
/// The sessions a member holds in the product. Sign-in (SAML) opens them; deactivation and deletion
/// end them in the same transaction as the change, and a session whose member is no longer active is
/// refused even before that, so access ends at the member's next request.
/// </summary>
public sealed class MemberSessions(RosterDatabase database, TimeProvider clock)
{
    public const string SecretPrefix = "rss_";

    public sealed record OpenedSession(string Id, string Secret, DateTimeOffset ExpiresAt);

    public sealed record ActiveSession(string Id, string MemberId, string EnterpriseId);

    /// <summary>A session as the console shows it (never its secret or hash).</summary>
    public sealed record SessionRecord(string Id, DateTimeOffset StartedAt, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt, string? EndReason);

    public async Task<OpenedSession> OpenAsync(Enterprise enterprise, string memberId, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var session = new OpenedSession(Identifiers.NewId(), Identifiers.NewSecret(SecretPrefix), now + lifetime);
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var active = await connection.Command(
                    "SELECT count(*) FROM members WHERE id = @m AND enterprise_id = @e AND active = TRUE AND deleted_at IS NULL", transaction)
                .With("@m", memberId).With("@e", enterprise.Id).ScalarLongAsync(cancellationToken);
            if (active == 0) throw new RosterException($"Member '{memberId}' is not an active member of '{enterprise.Slug}' and cannot sign in.");
            await connection.Command(
                    "INSERT INTO member_sessions (id, enterprise_id, member_id, token_hash, created_at, expires_at) VALUES (@id, @e, @m, @hash, @now, @exp)",
                    transaction)
                .With("@id", session.Id).With("@e", enterprise.Id).With("@m", memberId).With("@hash", Identifiers.HashSecret(session.Secret))
                .With("@now", now.ToDb()).With("@exp", session.ExpiresAt.ToDb()).ExecuteAsync(cancellationToken);
        }, cancellationToken);
        return session;
    }

    /// <summary>The session the secret belongs to, if it is still open and its member still active.</summary>
    public Task<ActiveSession?> ValidateAsync(string secret, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command(
                "SELECT s.id, s.member_id, s.enterprise_id FROM member_sessions s JOIN members m ON m.id = s.member_id " +
                "WHERE s.token_hash = @hash AND s.ended_at IS NULL AND s.expires_at > @now AND m.active = TRUE AND m.deleted_at IS NULL")
            .With("@hash", Identifiers.HashSecret(secret)).With("@now", clock.GetUtcNow().ToDb())
            .SingleOrDefaultAsync(r => new ActiveSession(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken), cancellationToken);

    /// <summary>Ends the session the secret belongs to (sign-out); nothing happens for a secret that
    /// names no open session.</summary>
    public Task EndAsync(string secret, string reason, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync((connection, transaction) => connection.Command(
                "UPDATE member_sessions SET ended_at = @now, end_reason = @reason WHERE token_hash = @hash AND ended_at IS NULL", transaction)
            .With("@now", clock.GetUtcNow().ToDb()).With("@reason", reason).With("@hash", Identifiers.HashSecret(secret))
            .ExecuteAsync(cancellationToken), cancellationToken);

    /// <summary>A member's sessions, newest first, at most <paramref name="limit"/>.</summary>
    public Task<List<SessionRecord>> ListAsync(Enterprise enterprise, string memberId, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command(
                "SELECT id, created_at, expires_at, ended_at, end_reason FROM member_sessions WHERE enterprise_id = @e AND member_id = @m " +
                "ORDER BY created_at DESC, id DESC LIMIT @limit")
            .With("@e", enterprise.Id).With("@m", memberId).With("@limit", limit)
            .ListAsync(r => new SessionRecord(r.GetString(0), r.Time(1), r.Time(2), r.TimeOrNull(3), r.StringOrNull(4)), cancellationToken), cancellationToken);

    public Task<long> CountOpenAsync(string memberId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command("SELECT count(*) FROM member_sessions WHERE member_id = @m AND ended_at IS NULL")
            .With("@m", memberId).ScalarLongAsync(cancellationToken), cancellationToken);
}
