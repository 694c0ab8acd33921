using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.SignOn;

/// <summary>
/// The SAML messages (Response and Assertion IDs) an enterprise has accepted, so that each is accepted
/// once. Kept in the database, shared by every Roster instance on it: a captured response replayed
/// against another instance is refused there too. An id is remembered until its assertion could no
/// longer be valid anyway; after that its row is reused or deleted.
/// </summary>
public sealed class SamlReplayCache(RosterDatabase database, TimeProvider clock)
{
    const int MaxMessageIdLength = 256;

    /// <summary>However soon a message says it ends, it is remembered at least this long, so that a
    /// caller that passes a time already past (or a clock behind the IdP's) opens no window.</summary>
    public static readonly TimeSpan MinimumRetention = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Uses <paramref name="messageId"/> once: true the first time, false while it is remembered (until
    /// <paramref name="expiresAt"/>, the assertion's NotOnOrAfter plus the clock skew allowed). One
    /// atomic statement decides, so of any number of uses at once, in any number of processes, exactly
    /// one gets true.
    /// </summary>
    public Task<bool> TryUseAsync(Enterprise enterprise, string messageId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(messageId) || messageId.Length > MaxMessageIdLength)
            throw new ArgumentException($"A message id has 1-{MaxMessageIdLength} characters.", nameof(messageId));
        var now = clock.GetUtcNow();
        var keepUntil = expiresAt > now + MinimumRetention ? expiresAt : now + MinimumRetention;
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            // An expired row counts as absent: the insert takes its place.
            var used = await connection.Command(
                    "INSERT INTO saml_replay_cache (enterprise_id, message_id, expires_at) VALUES (@e, @m, @until) " +
                    "ON CONFLICT (enterprise_id, message_id) DO UPDATE SET expires_at = excluded.expires_at " +
                    "WHERE saml_replay_cache.expires_at <= @now", transaction)
                .With("@e", enterprise.Id).With("@m", messageId).With("@until", keepUntil.ToDb()).With("@now", now.ToDb())
                .ExecuteAsync(cancellationToken);
            await ExpiredRows.DeleteAsync(connection, transaction, database.Dialect, "saml_replay_cache", "message_id", enterprise.Id, now, cancellationToken);
            return used == 1;
        }, cancellationToken);
    }
}
