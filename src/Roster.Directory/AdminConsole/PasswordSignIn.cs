using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.AdminConsole;

/// <summary>How a password sign-in ended: signed in (with the session), refused, or refused without
/// looking because of too many failures (with when to try again).</summary>
public sealed record PasswordSignInResult(CompletedSetup? SignedIn, DateTimeOffset? RetryAt)
{
    public bool IsThrottled => RetryAt is not null;
}

/// <summary>
/// An owner's break-glass sign-in: enterprise slug, email and password. A wrong password, an unknown
/// email, an unknown enterprise and an owner without a password yet all get the same answer after the
/// same work (a PBKDF2 verification), and all count towards <see cref="PasswordThrottle"/>.
/// </summary>
public sealed class PasswordSignIn(RosterDatabase database, PasswordThrottle throttle, TimeProvider clock)
{
    public async Task<PasswordSignInResult> SignInAsync(string slug, string email, string password, string clientAddress,
        CancellationToken cancellationToken = default)
    {
        var accountKey = PasswordThrottle.AccountKey(slug, email);
        if (await throttle.RefusedUntilAsync(accountKey, clientAddress, cancellationToken) is { } retryAt) return new PasswordSignInResult(null, retryAt);

        var account = await database.ReadAsync(async connection =>
        {
            var enterprise = await EnterpriseDirectory.FindBySlugAsync(connection, null, slug.Trim().ToLowerInvariant(), cancellationToken);
            if (enterprise is null) return null;
            return await connection.Command(
                    "SELECT id, password_hash FROM console_owners WHERE enterprise_id = @e AND email_key = @key")
                .With("@e", enterprise.Id).With("@key", ConsoleOwners.EmailKey(email))
                .SingleOrDefaultAsync(r => new Account(enterprise, r.GetString(0), r.StringOrNull(1)), cancellationToken);
        }, cancellationToken);

        if (!PasswordHasher.Verify(password, account?.PasswordHash) || account is null)
        {
            await throttle.RecordFailureAsync(accountKey, clientAddress, cancellationToken);
            return new PasswordSignInResult(null, null);
        }

        var signedIn = await database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            await connection.Command("UPDATE console_owners SET last_sign_in_at = @now WHERE enterprise_id = @e AND id = @o", transaction)
                .With("@now", now.ToDb()).With("@e", account.Enterprise.Id).With("@o", account.OwnerId).ExecuteAsync(cancellationToken);
            // A success forgives the account's earlier failures (the client address keeps its count).
            await connection.Command("DELETE FROM console_password_failures WHERE account_key = @k", transaction)
                .With("@k", accountKey).ExecuteAsync(cancellationToken);
            var owner = await connection.Command(
                    "SELECT id, enterprise_id, email, display_name, created_at, password_set_at, last_sign_in_at FROM console_owners WHERE enterprise_id = @e AND id = @o",
                    transaction)
                .With("@e", account.Enterprise.Id).With("@o", account.OwnerId).SingleOrDefaultAsync(ConsoleOwners.Read, cancellationToken);
            var session = await ConsoleSessions.OpenAsync(connection, transaction, account.Enterprise.Id, account.OwnerId, now, cancellationToken);
            return new CompletedSetup(account.Enterprise, owner!, session);
        }, cancellationToken);
        return new PasswordSignInResult(signedIn, null);
    }

    sealed record Account(Enterprise Enterprise, string OwnerId, string? PasswordHash);
}
