using System.Data.Common;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Events;
using Roster.Directory.Members;
using Roster.Directory.Storage;

namespace Roster.Directory.Identity;

/// <summary>
/// The attribute that ties a SAML sign-in and a SCIM user to one member: the sign-in's NameID is
/// compared with it, and a create from the IdP adopts (or conflicts with) the existing account that
/// carries it. One setting per enterprise, set by <c>roster linking set --key</c> or
/// <c>roster saml configure --match-by</c> alike.
/// </summary>
public static class LinkKey
{
    public const string UserName = "userName";
    public const string Email = "email";
    public const string ExternalId = "externalId";

    public static readonly IReadOnlyList<string> All = [UserName, Email, ExternalId];

    public static bool IsValid(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);

    /// <summary>The spelling of <paramref name="value"/> in <see cref="All"/>, whatever its case; null when it is none of them.</summary>
    public static string? Canonical(string? value) =>
        value is null ? null : All.FirstOrDefault(k => string.Equals(k, value.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The member column a key is compared in, and the form a value takes there: userName and
    /// email without regard to case (their folded keys), externalId exactly (RFC 7643 §3.1: caseExact).</summary>
    internal static (string Column, string Value) Match(string linkKey, string value) => linkKey switch
    {
        UserName => ("user_name_key", MemberColumns.Key(value)),
        Email => ("email_key", MemberColumns.Key(value)),
        ExternalId => ("external_id", value),
        _ => throw new ArgumentException($"Members are linked by {string.Join(", ", All)}, not '{linkKey}'.", nameof(linkKey)),
    };
}

/// <summary>An enterprise's linking rule: the key, and whether existing accounts are adopted.</summary>
public sealed record LinkingRule(string LinkKey, bool AdoptExisting, DateTimeOffset? UpdatedAt);

/// <summary>A create refused because its person exists unlinked; open until an admin resolves it.</summary>
public sealed record LinkingConflict(
    long Id, string MemberId, string MemberUserName, string MemberSource, string RequestedUserName, string Reason,
    DateTimeOffset FirstAt, DateTimeOffset LastAt, int Attempts, DateTimeOffset? ResolvedAt, string? Resolution, string? ResolvedBy)
{
    public const string Adopted = "adopted";
    public const string KeptApart = "kept-apart";
}

/// <summary>A member the IdP's create matched by the link key: not linked to SCIM (created by a SAML
/// just-in-time sign-in or by hand before SCIM was on).</summary>
internal sealed record UnlinkedMember(string Id, string UserName, string? Email, string Source);

/// <summary>
/// One identity across SAML and SCIM. When the IdP creates someone who exists already as a member not
/// linked to SCIM, found by the enterprise's link key, Roster adopts that member (the same id, history
/// and content, linked to SCIM from then on) if the enterprise allows it and the member's address is in
/// one of its email domains; otherwise it refuses the create (409 uniqueness, saying exactly why) and
/// keeps the conflict for an admin, who adopts the member or keeps them apart. Every change is audited.
/// </summary>
public sealed class MemberLinking(RosterDatabase database, TimeProvider clock)
{
    static readonly LinkingRule Default = new(LinkKey.UserName, AdoptExisting: false, UpdatedAt: null);

    const string ConflictColumns = "c.id, c.member_id, m.user_name, m.source, c.requested_user_name, c.reason, c.first_at, c.last_at, c.attempts, " +
                                   "c.resolved_at, c.resolution, c.resolved_by";

    public Task<LinkingRule> GetAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => ReadAsync(c, null, enterprise.Id, cancellationToken), cancellationToken);

    /// <summary>Changes the key and/or the adoption rule; what is not given stays.</summary>
    /// <exception cref="RosterException">Not a link key.</exception>
    public Task<LinkingRule> SetAsync(Enterprise enterprise, string? linkKey, bool? adoptExisting, AuditActor? actor,
        CancellationToken cancellationToken = default)
    {
        var key = linkKey is null ? null : LinkKey.Canonical(linkKey)
            ?? throw new RosterException($"'{linkKey}' is not a link key: give {string.Join(", ", LinkKey.All)}.");
        return database.InTransactionAsync(
            (connection, transaction) => ChangeAsync(connection, transaction, enterprise.Id, key, adoptExisting, actor, clock.GetUtcNow(), cancellationToken),
            cancellationToken);
    }

    /// <summary>Changes the rule inside the caller's transaction (SAML's configuration sets the key
    /// too), auditing a change; what is not given stays.</summary>
    internal static async Task<LinkingRule> ChangeAsync(DbConnection connection, DbTransaction transaction, string enterpriseId, string? linkKey,
        bool? adoptExisting, AuditActor? actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(connection, transaction, enterpriseId, cancellationToken);
        var after = before with { LinkKey = linkKey ?? before.LinkKey, AdoptExisting = adoptExisting ?? before.AdoptExisting };
        if (after.LinkKey == before.LinkKey && after.AdoptExisting == before.AdoptExisting) return before;
        var updated = await connection.Command("UPDATE enterprise_linking SET link_key = @k, adopt_existing = @a, updated_at = @now WHERE enterprise_id = @e", transaction)
            .With("@k", after.LinkKey).With("@a", after.AdoptExisting).With("@now", now.ToDb()).With("@e", enterpriseId).ExecuteAsync(cancellationToken);
        if (updated == 0)
        {
            await connection.Command("INSERT INTO enterprise_linking (enterprise_id, link_key, adopt_existing, updated_at) VALUES (@e, @k, @a, @now)", transaction)
                .With("@k", after.LinkKey).With("@a", after.AdoptExisting).With("@now", now.ToDb()).With("@e", enterpriseId).ExecuteAsync(cancellationToken);
        }
        await AdminAudit.RecordAsync(connection, transaction, enterpriseId, actor, AdminAction.LinkingChanged,
            $"Members are linked (and SAML sign-ins matched) by {after.LinkKey}; existing members are " +
            (after.AdoptExisting ? "adopted when their address is in the enterprise's domains" : "not adopted"),
            now, cancellationToken);
        return after with { UpdatedAt = now };
    }

    /// <summary>The enterprise's conflicts, newest first: the open ones, or all.</summary>
    public Task<List<LinkingConflict>> ListConflictsAsync(Enterprise enterprise, bool openOnly = true, int limit = 100, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command(
                $"SELECT {ConflictColumns} FROM linking_conflicts c JOIN members m ON m.id = c.member_id AND m.enterprise_id = c.enterprise_id " +
                "WHERE c.enterprise_id = @e" + (openOnly ? " AND c.resolved_at IS NULL" : "") + " ORDER BY c.id DESC LIMIT @limit")
            .With("@e", enterprise.Id).With("@limit", Math.Clamp(limit, 1, 1000)).ListAsync(ReadConflict, cancellationToken), cancellationToken);

    /// <summary>An admin adopts the member of an open conflict: linked to SCIM from now on (the IdP's next
    /// lookup finds and updates them), the conflict resolved.</summary>
    /// <exception cref="RosterException">No open conflict for that member.</exception>
    public Task<LinkingConflict> AdoptAsync(Enterprise enterprise, string memberId, AuditActor? actor, CancellationToken cancellationToken = default) =>
        ResolveAsync(enterprise, memberId, LinkingConflict.Adopted, actor, cancellationToken);

    /// <summary>An admin keeps the member of an open conflict apart: the IdP's creates of them stay
    /// refused, saying so, and open no new conflict.</summary>
    /// <exception cref="RosterException">No open conflict for that member.</exception>
    public Task<LinkingConflict> KeepApartAsync(Enterprise enterprise, string memberId, AuditActor? actor, CancellationToken cancellationToken = default) =>
        ResolveAsync(enterprise, memberId, LinkingConflict.KeptApart, actor, cancellationToken);

    Task<LinkingConflict> ResolveAsync(Enterprise enterprise, string memberId, string resolution, AuditActor? actor, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var conflict = await connection.Command(
                    $"SELECT {ConflictColumns} FROM linking_conflicts c JOIN members m ON m.id = c.member_id AND m.enterprise_id = c.enterprise_id " +
                    "WHERE c.enterprise_id = @e AND c.member_id = @m AND c.resolved_at IS NULL", transaction)
                .With("@e", enterprise.Id).With("@m", memberId.Trim()).SingleOrDefaultAsync(ReadConflict, cancellationToken)
                ?? throw new RosterException($"Enterprise '{enterprise.Slug}' has no open linking conflict for member '{memberId}'.");
            var now = clock.GetUtcNow();
            await connection.Command("UPDATE linking_conflicts SET resolved_at = @now, resolution = @r, resolved_by = @by WHERE id = @id", transaction)
                .With("@now", now.ToDb()).With("@r", resolution).With("@by", actor?.Stored).With("@id", conflict.Id).ExecuteAsync(cancellationToken);
            if (resolution == LinkingConflict.Adopted)
            {
                var resource = await connection.Command(
                        "UPDATE members SET source = @scim, last_modified = @now, version = version + 1 WHERE enterprise_id = @e AND id = @m RETURNING resource",
                        transaction)
                    .With("@scim", MemberDirectory.SourceScim).With("@now", now.ToDb()).With("@e", enterprise.Id).With("@m", conflict.MemberId)
                    .ListAsync(r => System.Text.Json.Nodes.JsonNode.Parse(r.GetString(0)) as System.Text.Json.Nodes.JsonObject, cancellationToken);
                if (resource is [{ } adopted])
                {
                    var events = new EventBatch(enterprise.Id);
                    var data = EventData.Member(conflict.MemberId, adopted);
                    data["adoptedFrom"] = conflict.MemberSource;
                    events.Member(EventTypes.MemberUpdated, conflict.MemberId, data);
                    await events.WriteAsync(connection, transaction, now, cancellationToken);
                }
            }
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor,
                resolution == LinkingConflict.Adopted ? AdminAction.MemberAdopted : AdminAction.MemberKeptApart,
                resolution == LinkingConflict.Adopted
                    ? $"Member {conflict.MemberUserName} adopted: linked to SCIM, so the IdP's {conflict.RequestedUserName} is this member"
                    : $"Member {conflict.MemberUserName} kept apart from the IdP's {conflict.RequestedUserName}: its creates stay refused",
                now, cancellationToken);
            return conflict with { ResolvedAt = now, Resolution = resolution, ResolvedBy = actor?.Stored };
        }, cancellationToken);

    internal static async Task<LinkingRule> ReadAsync(DbConnection connection, DbTransaction? transaction, string enterpriseId, CancellationToken cancellationToken)
    {
        var rows = await connection.PreparedCommand("SELECT link_key, adopt_existing, updated_at FROM enterprise_linking WHERE enterprise_id = @e", transaction)
            .With("@e", enterpriseId).ListAsync(r => new LinkingRule(r.GetString(0), r.GetBoolean(1), r.Time(2)), cancellationToken);
        return rows is [var rule] ? rule : Default;
    }

    /// <summary>The live member not linked to SCIM whose link key the IdP's create carries, if any.</summary>
    internal static async Task<UnlinkedMember?> FindUnlinkedAsync(DbConnection connection, DbTransaction transaction, string enterpriseId, string linkKey,
        MemberColumns columns, CancellationToken cancellationToken)
    {
        var carried = linkKey switch
        {
            LinkKey.Email => columns.Email,
            LinkKey.ExternalId => columns.ExternalId,
            _ => columns.UserName,
        };
        if (carried is null) return null;
        var (column, value) = LinkKey.Match(linkKey, carried);
        var rows = await connection.PreparedCommand(
                $"SELECT id, user_name, email, source FROM members WHERE enterprise_id = @e AND {column} = @v AND deleted_at IS NULL AND source <> @scim " +
                "ORDER BY created_at, id LIMIT 2", transaction)
            .With("@e", enterpriseId).With("@v", value).With("@scim", MemberDirectory.SourceScim)
            .ListAsync(r => new UnlinkedMember(r.GetString(0), r.GetString(1), r.StringOrNull(2), r.GetString(3)), cancellationToken);
        // Two unlinked accounts with one email: adopting either would be a guess.
        return rows.Count == 1 ? rows[0] : rows.Count > 1 ? rows[0] with { Id = "" } : null;
    }

    /// <summary>Why the create may not adopt <paramref name="candidate"/>, in words for the IdP's admin;
    /// null when it may.</summary>
    internal static async Task<string?> RefusalAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, LinkingRule rule,
        UnlinkedMember candidate, string requestedUserName, CancellationToken cancellationToken)
    {
        var who = $"{requestedUserName} matches {candidate.UserName}, a member created by {SourceLabel(candidate.Source)} before SCIM and not linked to it";
        if (candidate.Id.Length == 0)
            return $"{requestedUserName} matches more than one member by {rule.LinkKey} that is not linked to SCIM: an admin must resolve them in Roster.";
        var keptApart = await connection.Command(
                "SELECT count(*) FROM linking_conflicts WHERE enterprise_id = @e AND member_id = @m AND resolution = @kept", transaction)
            .With("@e", enterprise.Id).With("@m", candidate.Id).With("@kept", LinkingConflict.KeptApart).ScalarLongAsync(cancellationToken);
        if (keptApart > 0) return $"{who}, and an admin of the enterprise chose to keep them apart: provision this person with another {rule.LinkKey}.";
        if (!rule.AdoptExisting)
            return $"{who}; this enterprise does not adopt existing members. An admin of the enterprise can adopt this one in Roster's console (Identity), or allow adoption.";
        var owned = await EnterpriseDomains.OwnedAsync(connection, transaction, enterprise.Id, cancellationToken);
        var domain = EmailDomain.Of(candidate.Email) ?? EmailDomain.Of(candidate.UserName);
        if (owned.Count == 0)
            return $"{who}; this enterprise adopts existing members only with an address in its email domains, and it lists none: an admin adds them in Roster's console (Identity).";
        if (domain is null || !EmailDomain.IsWithin(domain, owned))
            return $"{who}; this enterprise adopts existing members only with an address in its email domains ({string.Join(", ", owned)}), " +
                   $"and {(domain ?? "the member's address")} is not one of them. An admin of the enterprise can adopt this one in Roster's console (Identity).";
        return null;
    }

    /// <summary>Records (or counts again) the open conflict of a refused create, in its own transaction:
    /// the create was rolled back, its conflict must stay. A member kept apart opens none.</summary>
    internal Task RecordConflictAsync(string enterpriseId, string memberId, string requestedUserName, string reason, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var kept = await connection.Command("SELECT count(*) FROM linking_conflicts WHERE enterprise_id = @e AND member_id = @m AND resolution = @kept", transaction)
                .With("@e", enterpriseId).With("@m", memberId).With("@kept", LinkingConflict.KeptApart).ScalarLongAsync(cancellationToken);
            if (kept > 0) return;
            var counted = await connection.Command(
                    "UPDATE linking_conflicts SET attempts = attempts + 1, last_at = @now, reason = @reason, requested_user_name = @u " +
                    "WHERE enterprise_id = @e AND member_id = @m AND resolved_at IS NULL", transaction)
                .With("@now", now.ToDb()).With("@reason", reason).With("@u", requestedUserName).With("@e", enterpriseId).With("@m", memberId)
                .ExecuteAsync(cancellationToken);
            if (counted > 0) return;
            await connection.Command(
                    "INSERT INTO linking_conflicts (enterprise_id, member_id, requested_user_name, reason, first_at, last_at, attempts) " +
                    "VALUES (@e, @m, @u, @reason, @now, @now, 1)", transaction)
                .With("@now", now.ToDb()).With("@reason", reason).With("@u", requestedUserName).With("@e", enterpriseId).With("@m", memberId)
                .ExecuteAsync(cancellationToken);
        }, cancellationToken);

    public static string SourceLabel(string source) => source == MemberDirectory.SourceSamlJit ? "a SAML just-in-time sign-in" : "hand";

    static LinkingConflict ReadConflict(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.Time(6), r.Time(7), r.GetInt32(8),
        r.IsDBNull(9) ? null : r.Time(9), r.StringOrNull(10), r.StringOrNull(11));
}
