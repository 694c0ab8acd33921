using System.Data.Common;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.AdminConsole;

/// <summary>What a usable set-up link is for: an existing owner's password, or (the first run) the
/// first enterprise and its owner.</summary>
public sealed record SetupLinkPurpose(string Purpose, Enterprise? Enterprise, ConsoleOwner? Owner)
{
    public bool IsFirstRun => Purpose == ConsoleSetupLinks.FirstRunPurpose;
}

/// <summary>The set-up that a link completed: who is now signed in, where.</summary>
public sealed record CompletedSetup(Enterprise Enterprise, ConsoleOwner Owner, ConsoleSessions.OpenedSession Session);

/// <summary>
/// One-time set-up links. The token is 256 random bits; only its SHA-256 is stored. A link expires after
/// 24 hours and is consumed by the same transaction that sets the password (an UPDATE that only an
/// unconsumed, unexpired link matches), so two submissions of one link cannot both succeed, and a
/// refused submission (a password too short) leaves it usable.
/// </summary>
public sealed class ConsoleSetupLinks(RosterDatabase database, TimeProvider clock)
{
    public const string OwnerPurpose = "owner";
    public const string FirstRunPurpose = "first-run";
    public const string TokenPrefix = "rsl_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>A first-run link, when no enterprise has an owner account yet (null otherwise). An earlier
    /// first-run link that was not used stops working: only the newest one printed does.</summary>
    public Task<IssuedSetupLink?> CreateFirstRunAsync(CancellationToken cancellationToken = default) =>
        database.InTransactionAsync<IssuedSetupLink?>(async (connection, transaction) =>
        {
            if (await ConsoleOwners.AnyAsync(connection, transaction, cancellationToken)) return null;
            var now = clock.GetUtcNow();
            await connection.Command("UPDATE console_setup_links SET expires_at = @now WHERE purpose = @p AND consumed_at IS NULL AND expires_at > @now",
                    transaction)
                .With("@now", now.ToDb()).With("@p", FirstRunPurpose).ExecuteAsync(cancellationToken);
            return await InsertAsync(connection, transaction, FirstRunPurpose, null, null, now, cancellationToken);
        }, cancellationToken);

    internal static async Task<IssuedSetupLink> InsertAsync(DbConnection connection, DbTransaction transaction, string purpose, string? enterpriseId,
        string? ownerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var link = new IssuedSetupLink(Identifiers.NewSecret(TokenPrefix), now + Lifetime);
        await connection.Command(
                "INSERT INTO console_setup_links (id, purpose, enterprise_id, owner_id, token_hash, created_at, expires_at) " +
                "VALUES (@id, @p, @e, @o, @hash, @now, @exp)", transaction)
            .With("@id", Identifiers.NewId()).With("@p", purpose).With("@e", enterpriseId).With("@o", ownerId)
            .With("@hash", Identifiers.HashSecret(link.Token)).With("@now", now.ToDb()).With("@exp", link.ExpiresAt.ToDb())
            .ExecuteAsync(cancellationToken);
        return link;
    }

    /// <summary>What the link is for, while it is usable; null when it is unknown, used or expired
    /// (which of these is not told: the page says the same for all three).</summary>
    public Task<SetupLinkPurpose?> FindUsableAsync(string token, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async connection =>
        {
            var link = await connection.Command(
                    "SELECT purpose, enterprise_id, owner_id FROM console_setup_links WHERE token_hash = @hash AND consumed_at IS NULL AND expires_at > @now")
                .With("@hash", Identifiers.HashSecret(token)).With("@now", clock.GetUtcNow().ToDb())
                .SingleOrDefaultAsync(r => new LinkRow(r.GetString(0), r.StringOrNull(1), r.StringOrNull(2)), cancellationToken);
            if (link is null) return null;
            if (link.EnterpriseId is null || link.OwnerId is null) return new SetupLinkPurpose(link.Purpose, null, null);
            var enterprise = await connection.Command("SELECT id, slug, name, created_at FROM enterprises WHERE id = @e")
                .With("@e", link.EnterpriseId).SingleOrDefaultAsync(r => new Enterprise(r.GetString(0), r.GetString(1), r.GetString(2), r.Time(3)), cancellationToken);
            var owner = await connection.Command(
                    "SELECT id, enterprise_id, email, display_name, created_at, password_set_at, last_sign_in_at FROM console_owners WHERE enterprise_id = @e AND id = @o")
                .With("@e", link.EnterpriseId).With("@o", link.OwnerId).SingleOrDefaultAsync(ConsoleOwners.Read, cancellationToken);
            return enterprise is null || owner is null ? null : new SetupLinkPurpose(link.Purpose, enterprise, owner);
        }, cancellationToken);

    /// <summary>Sets an owner's password through their link and signs them in; null when the link is not
    /// usable (any more).</summary>
    public Task<CompletedSetup?> CompleteOwnerAsync(string token, string passwordHash, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync<CompletedSetup?>(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var link = await ConsumeAsync(connection, transaction, token, OwnerPurpose, now, cancellationToken);
            if (link?.EnterpriseId is null || link.OwnerId is null) return null;
            await connection.Command("UPDATE console_owners SET password_hash = @hash, password_set_at = @now, last_sign_in_at = @now WHERE enterprise_id = @e AND id = @o",
                    transaction)
                .With("@hash", passwordHash).With("@now", now.ToDb()).With("@e", link.EnterpriseId).With("@o", link.OwnerId).ExecuteAsync(cancellationToken);
            var enterprise = await connection.Command("SELECT id, slug, name, created_at FROM enterprises WHERE id = @e", transaction)
                .With("@e", link.EnterpriseId).SingleOrDefaultAsync(r => new Enterprise(r.GetString(0), r.GetString(1), r.GetString(2), r.Time(3)), cancellationToken);
            var owner = await connection.Command(
                    "SELECT id, enterprise_id, email, display_name, created_at, password_set_at, last_sign_in_at FROM console_owners WHERE enterprise_id = @e AND id = @o",
                    transaction)
                .With("@e", link.EnterpriseId).With("@o", link.OwnerId).SingleOrDefaultAsync(ConsoleOwners.Read, cancellationToken);
            if (enterprise is null || owner is null) return null;
            // Who holds an owner's password holds the enterprise: a password set (a reset after a leak, or
            // a takeover through a leaked link) is an admin action the audit log must show.
            await Audit.AdminAudit.RecordAsync(connection, transaction, enterprise.Id, Audit.AuditActor.OwnerAccount(owner.Email), Audit.AdminAction.OwnerPasswordSet,
                $"Owner account {owner.Email} set its password through its one-time link; its other console sessions ended", now, cancellationToken);
            // A new password ends the sessions the old one opened: a reset after a leak locks the finder out.
            await connection.Command("UPDATE console_sessions SET ended_at = @now WHERE enterprise_id = @e AND owner_id = @o AND ended_at IS NULL", transaction)
                .With("@now", now.ToDb()).With("@e", enterprise.Id).With("@o", owner.Id).ExecuteAsync(cancellationToken);
            var session = await ConsoleSessions.OpenAsync(connection, transaction, enterprise.Id, owner.Id, now, cancellationToken);
            return new CompletedSetup(enterprise, owner, session);
        }, cancellationToken);

    /// <summary>The first run: creates the organisation (its slug from its name) and its first owner with
    /// this password, and signs them in; null when the link is not usable, or an owner account exists by
    /// now (the first run is over).</summary>
    /// <exception cref="RosterException">The name or email cannot be used; the link stays usable.</exception>
    public Task<CompletedSetup?> CompleteFirstRunAsync(string token, string organisationName, string email, string? displayName, string passwordHash,
        CancellationToken cancellationToken = default) =>
        database.InTransactionAsync<CompletedSetup?>(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            // Checked before the link is consumed, as an exception rolls the consumption back anyway.
            var candidate = ConsoleOwners.NewOwner("", email, displayName, now);
            var link = await ConsumeAsync(connection, transaction, token, FirstRunPurpose, now, cancellationToken);
            if (link is null || await ConsoleOwners.AnyAsync(connection, transaction, cancellationToken)) return null;
            var enterprise = await EnterpriseDirectory.InsertWithFreeSlugAsync(connection, transaction, organisationName, now, cancellationToken);
            var owner = candidate with { EnterpriseId = enterprise.Id, PasswordSetAt = now, LastSignInAt = now };
            await ConsoleOwners.InsertAsync(connection, transaction, owner, passwordHash, cancellationToken);
            await Audit.AdminAudit.RecordAsync(connection, transaction, enterprise.Id, Audit.AuditActor.FirstRunLink(owner.Email), Audit.AdminAction.OwnerCreated,
                $"Organisation '{enterprise.Name}' and its first owner account {owner.Email} created through the first-run link", now, cancellationToken);
            await connection.Command("UPDATE console_owners SET last_sign_in_at = @now WHERE enterprise_id = @e AND id = @o", transaction)
                .With("@now", now.ToDb()).With("@e", enterprise.Id).With("@o", owner.Id).ExecuteAsync(cancellationToken);
            var session = await ConsoleSessions.OpenAsync(connection, transaction, enterprise.Id, owner.Id, now, cancellationToken);
            return new CompletedSetup(enterprise, owner, session);
        }, cancellationToken);

    static async Task<LinkRow?> ConsumeAsync(DbConnection connection, DbTransaction transaction, string token, string purpose, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var hash = Identifiers.HashSecret(token);
        var consumed = await connection.Command(
                "UPDATE console_setup_links SET consumed_at = @now WHERE token_hash = @hash AND purpose = @p AND consumed_at IS NULL AND expires_at > @now",
                transaction)
            .With("@now", now.ToDb()).With("@hash", hash).With("@p", purpose).ExecuteAsync(cancellationToken);
        if (consumed != 1) return null;
        return await connection.Command("SELECT purpose, enterprise_id, owner_id FROM console_setup_links WHERE token_hash = @hash", transaction)
            .With("@hash", hash).SingleOrDefaultAsync(r => new LinkRow(r.GetString(0), r.StringOrNull(1), r.StringOrNull(2)), cancellationToken);
    }

    sealed record LinkRow(string Purpose, string? EnterpriseId, string? OwnerId);
}
