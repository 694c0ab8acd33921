using System.Data.Common;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.AdminConsole;

/// <summary>An enterprise's owner accounts. Creating one issues its set-up link; the password is set
/// through that link (<see cref="ConsoleSetupLinks"/>), never here.</summary>
public sealed class ConsoleOwners(RosterDatabase database, TimeProvider clock)
{
    const string Columns = "id, enterprise_id, email, display_name, created_at, password_set_at, last_sign_in_at";

    internal Task<(ConsoleOwner Owner, IssuedSetupLink Link)> CreateAsync(Enterprise enterprise, string email, string? displayName,
        CancellationToken cancellationToken = default) =>
        CreateAsync(enterprise, email, displayName, actor: null, cancellationToken);

    /// <summary>Creates an owner account, recording in the same transaction that <paramref name="actor"/>
    /// did (the set-up link, a secret, is not recorded).</summary>
    public async Task<(ConsoleOwner Owner, IssuedSetupLink Link)> CreateAsync(Enterprise enterprise, string email, string? displayName, AuditActor? actor,
        CancellationToken cancellationToken = default)
    {
        var owner = NewOwner(enterprise.Id, email, displayName, clock.GetUtcNow());
        try
        {
            var link = await database.InTransactionAsync(async (connection, transaction) =>
            {
                await InsertAsync(connection, transaction, owner, passwordHash: null, cancellationToken);
                await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.OwnerCreated,
                    $"Owner account {owner.Email} created; its password is set through its one-time link", owner.CreatedAt, cancellationToken);
                return await ConsoleSetupLinks.InsertAsync(connection, transaction, ConsoleSetupLinks.OwnerPurpose, enterprise.Id, owner.Id,
                    owner.CreatedAt, cancellationToken);
            }, cancellationToken);
            return (owner, link);
        }
        catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new RosterException($"Enterprise '{enterprise.Slug}' already has an owner with the email '{owner.Email}'.");
        }
    }

    public Task<List<ConsoleOwner>> ListAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command($"SELECT {Columns} FROM console_owners WHERE enterprise_id = @e ORDER BY created_at, id")
            .With("@e", enterprise.Id).ListAsync(Read, cancellationToken), cancellationToken);

    /// <summary>True when some enterprise has an owner account: the first run is over.</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => AnyAsync(c, null, cancellationToken), cancellationToken);

    internal static async Task<bool> AnyAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        await connection.Command("SELECT count(*) FROM (SELECT 1 FROM console_owners LIMIT 1) AS any_owner", transaction).ScalarLongAsync(cancellationToken) > 0;

    /// <summary>An owner of the enterprise, by id (a console session's).</summary>
    public Task<ConsoleOwner?> FindAsync(Enterprise enterprise, string ownerId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command($"SELECT {Columns} FROM console_owners WHERE enterprise_id = @e AND id = @id")
            .With("@e", enterprise.Id).With("@id", ownerId).SingleOrDefaultAsync(Read, cancellationToken), cancellationToken);

    /// <summary>A new one-time link that sets the owner's password (a forgotten break-glass password):
    /// their earlier unused links stop working, and the current password keeps working until the link
    /// is used, so that a link sent to the wrong place locks nobody out.</summary>
    /// <exception cref="RosterException">The enterprise has no such owner.</exception>
    public Task<(ConsoleOwner Owner, IssuedSetupLink Link)> IssuePasswordLinkAsync(Enterprise enterprise, string emailOrId, AuditActor actor,
        CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var owner = await FindRequiredAsync(connection, transaction, enterprise, emailOrId, cancellationToken);
            var now = clock.GetUtcNow();
            await connection.Command("UPDATE console_setup_links SET expires_at = @now WHERE owner_id = @o AND consumed_at IS NULL AND expires_at > @now", transaction)
                .With("@now", now.ToDb()).With("@o", owner.Id).ExecuteAsync(cancellationToken);
            var link = await ConsoleSetupLinks.InsertAsync(connection, transaction, ConsoleSetupLinks.OwnerPurpose, enterprise.Id, owner.Id, now, cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.OwnerPasswordLinkIssued,
                $"A new password link for owner account {owner.Email} was issued; earlier unused links stopped working", now, cancellationToken);
            return (owner, link);
        }, cancellationToken);

    /// <summary>Removes an owner account: its sessions end and its links stop working at once. The last
    /// owner account of an enterprise stays: it is the way in when single sign-on is broken.</summary>
    /// <exception cref="RosterException">No such owner, or it is the last one.</exception>
    public Task<ConsoleOwner> RemoveAsync(Enterprise enterprise, string emailOrId, AuditActor actor, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var owner = await FindRequiredAsync(connection, transaction, enterprise, emailOrId, cancellationToken);
            var owners = await connection.Command("SELECT count(*) FROM console_owners WHERE enterprise_id = @e", transaction)
                .With("@e", enterprise.Id).ScalarLongAsync(cancellationToken);
            if (owners <= 1)
                throw new RosterException(
                    $"{owner.Email} is the last owner account of '{enterprise.Slug}', the way into the console when single sign-on fails: create another owner first.");
            foreach (var table in new[] { "console_sessions", "console_setup_links" })
            {
                await connection.Command($"DELETE FROM {table} WHERE enterprise_id = @e AND owner_id = @o", transaction)
                    .With("@e", enterprise.Id).With("@o", owner.Id).ExecuteAsync(cancellationToken);
            }
            await connection.Command("DELETE FROM console_owners WHERE enterprise_id = @e AND id = @o", transaction)
                .With("@e", enterprise.Id).With("@o", owner.Id).ExecuteAsync(cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.OwnerRemoved,
                $"Owner account {owner.Email} removed; its sessions ended", clock.GetUtcNow(), cancellationToken);
            return owner;
        }, cancellationToken);

    static async Task<ConsoleOwner> FindRequiredAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, string emailOrId,
        CancellationToken cancellationToken) =>
        await connection.Command($"SELECT {Columns} FROM console_owners WHERE enterprise_id = @e AND (id = @key OR email_key = @email)", transaction)
            .With("@e", enterprise.Id).With("@key", emailOrId.Trim()).With("@email", emailOrId.Trim().ToLowerInvariant())
            .SingleOrDefaultAsync(Read, cancellationToken)
        ?? throw new RosterException($"Enterprise '{enterprise.Slug}' has no owner account '{emailOrId}'.");

    internal static ConsoleOwner NewOwner(string enterpriseId, string email, string? displayName, DateTimeOffset now)
    {
        email = email.Trim();
        if (email.Length is 0 or > 320 || email.IndexOf('@') is <= 0 || email.IndexOf('@') == email.Length - 1 || email.Any(char.IsWhiteSpace))
            throw new RosterException($"'{email}' is not an email address.");
        displayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();
        if (displayName is { Length: > 200 }) throw new RosterException("The name must be at most 200 characters.");
        return new ConsoleOwner(Identifiers.NewId(), enterpriseId, email, displayName, now, null, null);
    }

    internal static Task InsertAsync(DbConnection connection, DbTransaction transaction, ConsoleOwner owner, string? passwordHash,
        CancellationToken cancellationToken) =>
        connection.Command(
                "INSERT INTO console_owners (id, enterprise_id, email, email_key, display_name, password_hash, created_at, password_set_at) " +
                "VALUES (@id, @e, @email, @key, @name, @hash, @now, @set)", transaction)
            .With("@id", owner.Id).With("@e", owner.EnterpriseId).With("@email", owner.Email).With("@key", EmailKey(owner.Email))
            .With("@name", owner.DisplayName).With("@hash", passwordHash).With("@now", owner.CreatedAt.ToDb())
            .With("@set", owner.PasswordSetAt.ToDb()).ExecuteAsync(cancellationToken);

    internal static string EmailKey(string email) => email.Trim().ToLowerInvariant();

    internal static ConsoleOwner Read(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.StringOrNull(3), r.Time(4), r.TimeOrNull(5), r.TimeOrNull(6));
}
