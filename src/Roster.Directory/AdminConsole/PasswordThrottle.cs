using Roster.Directory.Storage;

namespace Roster.Directory.AdminConsole;

/// <summary>
/// Limits password guessing: at most <see cref="AccountLimit"/> failures per account and
/// <see cref="ClientLimit"/> per client address within <see cref="Window"/>; after that, attempts are
/// refused, right password or not, until the oldest counted failure is older than the window. Failures
/// are rows in the database, so every Roster instance counts the same ones. An "account" is the slug and
/// email as typed, whether or not they name one, so the answer never tells which exist.
/// </summary>
/// <remarks>Concurrent attempts that all read the count before any records its failure each get their
/// guess; that bounds the overshoot by the number of attempts in flight, which a client address
/// limit keeps small.</remarks>
public sealed class PasswordThrottle(RosterDatabase database, TimeProvider clock)
{
    public const int AccountLimit = 5;
    public const int ClientLimit = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public static string AccountKey(string slug, string email) => slug.Trim().ToLowerInvariant() + "\n" + ConsoleOwners.EmailKey(email);

    /// <summary>When attempts for this account or from this address are allowed again; null when they are now.</summary>
    public Task<DateTimeOffset?> RefusedUntilAsync(string accountKey, string clientAddress, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async connection =>
        {
            var since = (clock.GetUtcNow() - Window).ToDb();
            DateTimeOffset? until = null;
            foreach (var (column, value, limit) in new[] { ("account_key", accountKey, AccountLimit), ("client_address", clientAddress, ClientLimit) })
            {
                // The limit-th newest failure in the window: once it leaves the window, one more attempt is allowed.
                var times = await connection.Command(
                        $"SELECT failed_at FROM console_password_failures WHERE {column} = @v AND failed_at > @since ORDER BY failed_at DESC LIMIT @limit")
                    .With("@v", value).With("@since", since).With("@limit", limit).ListAsync(r => r.GetInt64(0), cancellationToken);
                if (times.Count < limit) continue;
                var allowedAt = DateTimeOffset.FromUnixTimeMilliseconds(times[^1]) + Window;
                if (until is null || allowedAt > until) until = allowedAt;
            }
            return until;
        }, cancellationToken);

    /// <summary>Counts a failure; failures older than a day are deleted as a side task, a batch at a time.</summary>
    public Task RecordFailureAsync(string accountKey, string clientAddress, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            await connection.Command("INSERT INTO console_password_failures (account_key, client_address, failed_at) VALUES (@k, @c, @now)", transaction)
                .With("@k", accountKey).With("@c", clientAddress).With("@now", now.ToDb()).ExecuteAsync(cancellationToken);
            await connection.Command(
                    "DELETE FROM console_password_failures WHERE id IN " +
                    $"(SELECT id FROM console_password_failures WHERE failed_at < @old LIMIT 100{database.Dialect.ForUpdateSkipLocked})", transaction)
                .With("@old", (now - TimeSpan.FromDays(1)).ToDb()).ExecuteAsync(cancellationToken);
        }, cancellationToken);
}
