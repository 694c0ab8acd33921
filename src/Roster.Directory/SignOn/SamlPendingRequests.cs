using System.Data.Common;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.SignOn;

/// <summary>
/// The AuthnRequests waiting for their answer, in the database, so that the answer may reach any Roster
/// instance. Each is consumed at most once: the response that answers it is accepted once, and a
/// replay of it, or an answer to a request nobody sent, finds nothing.
/// </summary>
public sealed class SamlPendingRequests(RosterDatabase database, TimeProvider clock)
{
    const int MaxIdLength = 256;
    /// <summary>SAML bindings cap RelayState at 80 bytes (Bindings §3.4.3, §3.5.3).</summary>
    const int MaxRelayKeyLength = 80;
    public const int MaxReturnPathLength = 2000;
    static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    const string Columns = "request_id, enterprise_id, relay_key, purpose, return_path, created_at, expires_at, consumed_at";

    /// <summary>Records a request just sent. Requests of the enterprise that expired are deleted in
    /// the same transaction: the table holds the sign-ins under way, not their history (that is the
    /// sign-in log).</summary>
    /// <exception cref="RosterException">A value is not acceptable (a return path that is not local, a
    /// lifetime out of range); nothing was recorded.</exception>
    public async Task<SamlPendingRequest> CreateAsync(Enterprise enterprise, string requestId, string relayKey, string purpose, string? returnPath,
        TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        RequireToken(requestId, "The request id", MaxIdLength);
        RequireToken(relayKey, "The relay key", MaxRelayKeyLength);
        if (!SamlRequestPurpose.IsValid(purpose))
            throw new RosterException($"A sign-in is for '{SamlRequestPurpose.SignIn}' or '{SamlRequestPurpose.Test}', not '{purpose}'.");
        if (returnPath is not null && !IsLocalPath(returnPath))
            throw new RosterException("The return path must be a path on this site, such as /app/home.");
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
            throw new RosterException($"A sign-in request lives more than no time and at most {MaxLifetime.TotalMinutes:0} minutes.");

        var now = clock.GetUtcNow();
        var request = new SamlPendingRequest(requestId, enterprise.Id, relayKey, purpose, returnPath, now, now + lifetime, null);
        try
        {
            await database.InTransactionAsync(async (connection, transaction) =>
            {
                await ExpiredRows.DeleteAsync(connection, transaction, database.Dialect, "saml_pending_requests", "request_id", enterprise.Id, now,
                    cancellationToken);
                await connection.Command(
                        $"INSERT INTO saml_pending_requests ({Columns}) VALUES (@id, @e, @relay, @purpose, @return, @now, @expires, NULL)", transaction)
                    .With("@id", requestId).With("@e", enterprise.Id).With("@relay", relayKey).With("@purpose", purpose)
                    .With("@return", returnPath).With("@now", now.ToDb()).With("@expires", request.ExpiresAt.ToDb())
                    .ExecuteAsync(cancellationToken);
            }, cancellationToken);
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            // Both are random: a clash is a caller that reused one, never bad luck.
            throw new RosterException("A sign-in request with this request id or relay key exists already; make new ones for every request.");
        }
        return request;
    }

    /// <summary>
    /// Consumes the request: marks it answered and returns it, if it was open (not consumed, not
    /// expired), in one statement, so that of two answers that arrive together exactly one gets it.
    /// Null for a request that is unknown, of another enterprise, expired or consumed already.
    /// </summary>
    public Task<SamlPendingRequest?> ConsumeAsync(Enterprise enterprise, string requestId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return database.InTransactionAsync(async (connection, transaction) => await connection.Command(
                "UPDATE saml_pending_requests SET consumed_at = @now " +
                "WHERE enterprise_id = @e AND request_id = @id AND consumed_at IS NULL AND expires_at > @now " +
                $"RETURNING {Columns}", transaction)
            .With("@now", now.ToDb()).With("@e", enterprise.Id).With("@id", requestId)
            .SingleOrDefaultAsync(Read, cancellationToken), cancellationToken);
    }

    /// <summary>The request a RelayState names, whatever its state (so that a refusal can say it
    /// expired or was used); null when the enterprise has none with that key.</summary>
    public Task<SamlPendingRequest?> FindByRelayKeyAsync(Enterprise enterprise, string relayKey, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command($"SELECT {Columns} FROM saml_pending_requests WHERE enterprise_id = @e AND relay_key = @relay")
            .With("@e", enterprise.Id).With("@relay", relayKey).SingleOrDefaultAsync(Read, cancellationToken), cancellationToken);

    /// <summary>The request with this id, whatever its state; null when the enterprise has none.</summary>
    public Task<SamlPendingRequest?> FindAsync(Enterprise enterprise, string requestId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command($"SELECT {Columns} FROM saml_pending_requests WHERE enterprise_id = @e AND request_id = @id")
            .With("@e", enterprise.Id).With("@id", requestId).SingleOrDefaultAsync(Read, cancellationToken), cancellationToken);

    /// <summary>
    /// A path on this site: one leading '/', not "//host" or "/\host" (which browsers read as another
    /// host), no scheme, no control characters or backslashes. The only kind of place a sign-in
    /// returns to, so that it is never an open redirect. The same rule as Roster.Saml's RelayStatePaths,
    /// which the host applies first; kept here too so that the store never holds another kind.
    /// </summary>
    public static bool IsLocalPath(string path) =>
        path.Length is > 0 and <= MaxReturnPathLength
        && path[0] == '/'
        && (path.Length == 1 || path[1] is not ('/' or '\\'))
        && !path.Any(c => char.IsControl(c) || c == '\\');

    static void RequireToken(string? value, string what, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new RosterException($"{what} must be 1-{maxLength} ASCII letters, digits, '-', '_' or '.'.");
    }

    static SamlPendingRequest Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.StringOrNull(4), r.Time(5), r.Time(6), r.TimeOrNull(7));
}
