using System.Data.Common;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
using Roster.Directory.Storage;
using Roster.Scim.Errors;

namespace Roster.Directory.Identity;

/// <summary>What Roster does when the IdP provisions an address outside the enterprise's domains.</summary>
public static class OutsideDomains
{
    /// <summary>Refuse the request (400 invalidValue); the log says which address and domain.</summary>
    public const string Refuse = "refuse";

    /// <summary>Accept it, and mark the provisioning log's entry so that an admin finds it.</summary>
    public const string Flag = "flag";

    public static readonly IReadOnlyList<string> All = [Refuse, Flag];
}

public sealed record OwnedDomain(string Domain, DateTimeOffset AddedAt);

/// <summary>An enterprise's email domains and its rule for addresses outside them (refuse unless set).</summary>
public sealed record DomainRule(IReadOnlyList<OwnedDomain> Domains, string OutsideDomains)
{
    public bool Applies => Domains.Count > 0;
}

/// <summary>
/// The email domains an enterprise owns. While it lists any, every member the IdP provisions or renames
/// is checked: a userName that is an address, and the primary email, must be in one of them (or below
/// one); otherwise the request is refused or flagged, as the enterprise chose. Changes are audited in
/// their own transaction.
/// </summary>
public sealed class EnterpriseDomains(RosterDatabase database, TimeProvider clock)
{
    public const int MaxDomains = 100;

    /// <summary>How the log's reason of a refusal ends: connection health counts these.</summary>
    public const string RefusedReason = "refused by the domain rule";

    public Task<DomainRule> GetAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => ReadAsync(c, null, enterprise.Id, cancellationToken), cancellationToken);

    /// <exception cref="RosterException">Not a domain, already listed, or too many.</exception>
    public Task<DomainRule> AddAsync(Enterprise enterprise, string domain, AuditActor? actor, CancellationToken cancellationToken = default)
    {
        var normalized = EmailDomain.Normalize(domain);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await AddAsync(connection, transaction, enterprise, normalized, actor, cancellationToken);
            return await ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
        }, cancellationToken);
    }

    async Task AddAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, string normalized, AuditActor? actor,
        CancellationToken cancellationToken)
    {
        var rule = await ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
        if (rule.Domains.Any(d => d.Domain == normalized)) throw new RosterException($"{normalized} is already one of '{enterprise.Slug}''s domains.");
        if (rule.Domains.Count >= MaxDomains) throw new RosterException($"An enterprise lists at most {MaxDomains} domains; remove one first.");
        var now = clock.GetUtcNow();
        await connection.Command("INSERT INTO enterprise_domains (enterprise_id, domain, added_at) VALUES (@e, @d, @now)", transaction)
            .With("@e", enterprise.Id).With("@d", normalized).With("@now", now.ToDb()).ExecuteAsync(cancellationToken);
        await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.DomainAdded,
            rule.Applies ? $"Email domain {normalized} added" : $"Email domain {normalized} added: provisioned addresses are now checked ({rule.OutsideDomains} outside)",
            now, cancellationToken);
    }

    /// <exception cref="RosterException">Not one of the enterprise's domains.</exception>
    public Task<DomainRule> RemoveAsync(Enterprise enterprise, string domain, AuditActor? actor, CancellationToken cancellationToken = default)
    {
        var normalized = EmailDomain.Normalize(domain);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await RemoveAsync(connection, transaction, enterprise, normalized, actor, cancellationToken);
            return await ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
        }, cancellationToken);
    }

    async Task RemoveAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, string normalized, AuditActor? actor,
        CancellationToken cancellationToken)
    {
        var removed = await connection.Command("DELETE FROM enterprise_domains WHERE enterprise_id = @e AND domain = @d", transaction)
            .With("@e", enterprise.Id).With("@d", normalized).ExecuteAsync(cancellationToken);
        if (removed == 0) throw new RosterException($"{normalized} is not one of '{enterprise.Slug}''s domains.");
        var rule = await ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
        await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.DomainRemoved,
            rule.Applies ? $"Email domain {normalized} removed" : $"Email domain {normalized} removed: no domain is left, so provisioned addresses are not checked",
            clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>Makes <paramref name="domains"/> the enterprise's whole list (and, when given, sets the
    /// rule outside them) in one transaction: every domain added or removed is audited, and a refusal
    /// of any leaves the list as it was.</summary>
    /// <exception cref="RosterException">A domain is not valid, the list is too long, or the rule is not one of <see cref="OutsideDomains.All"/>.</exception>
    public Task<DomainRule> ReplaceAsync(Enterprise enterprise, IReadOnlyList<string>? domains, string? outsideDomains, AuditActor? actor,
        CancellationToken cancellationToken = default)
    {
        var wanted = domains?.Select(EmailDomain.Normalize).Distinct(StringComparer.Ordinal).ToList();
        if (wanted is { Count: > MaxDomains }) throw new RosterException($"An enterprise lists at most {MaxDomains} domains.");
        var rule = outsideDomains is null ? null : CheckOutsideDomains(outsideDomains);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            if (wanted is not null)
            {
                var current = (await ReadAsync(connection, transaction, enterprise.Id, cancellationToken)).Domains.Select(d => d.Domain).ToList();
                foreach (var gone in current.Except(wanted, StringComparer.Ordinal))
                    await RemoveAsync(connection, transaction, enterprise, gone, actor, cancellationToken);
                foreach (var added in wanted.Except(current, StringComparer.Ordinal))
                    await AddAsync(connection, transaction, enterprise, added, actor, cancellationToken);
            }
            if (rule is not null) await SetOutsideDomainsAsync(connection, transaction, enterprise, rule, actor, cancellationToken);
            return await ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
        }, cancellationToken);
    }

    /// <exception cref="RosterException">Not one of <see cref="OutsideDomains.All"/>.</exception>
    public Task<DomainRule> SetOutsideDomainsAsync(Enterprise enterprise, string outsideDomains, AuditActor? actor, CancellationToken cancellationToken = default)
    {
        var value = CheckOutsideDomains(outsideDomains);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await SetOutsideDomainsAsync(connection, transaction, enterprise, value, actor, cancellationToken);
            return await ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
        }, cancellationToken);
    }

    static string CheckOutsideDomains(string outsideDomains)
    {
        var value = outsideDomains.Trim().ToLowerInvariant();
        return OutsideDomains.All.Contains(value) ? value
            : throw new RosterException($"'{outsideDomains}' is not a rule for addresses outside the domains: give {string.Join(" or ", OutsideDomains.All)}.");
    }

    async Task SetOutsideDomainsAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise, string value, AuditActor? actor,
        CancellationToken cancellationToken)
    {
        var before = await ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var updated = await connection.Command("UPDATE enterprise_domain_rules SET outside_domains = @o, updated_at = @now WHERE enterprise_id = @e", transaction)
            .With("@o", value).With("@now", now.ToDb()).With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
        if (updated == 0)
        {
            await connection.Command("INSERT INTO enterprise_domain_rules (enterprise_id, outside_domains, updated_at) VALUES (@e, @o, @now)", transaction)
                .With("@o", value).With("@now", now.ToDb()).With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
        }
        if (before.OutsideDomains != value)
        {
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.DomainRuleChanged,
                $"Addresses outside the email domains are now {(value == OutsideDomains.Refuse ? "refused" : "accepted and flagged in the provisioning log")}",
                now, cancellationToken);
        }
    }

    /// <summary>
    /// Checks a member the IdP is creating or renaming, in the change's transaction: refuses it (400
    /// invalidValue, the address and domains in the detail) or flags the attempt's effect, when an
    /// address is outside the enterprise's domains. <paramref name="previous"/>: the member's userName
    /// and primary email before a change, which were accepted then and are not checked again (a
    /// deactivation of someone provisioned before the domains were listed must go through).
    /// </summary>
    internal static async Task CheckAsync(DbConnection connection, DbTransaction transaction, string enterpriseId, MemberColumns columns,
        (string UserName, string? Email)? previous, ProvisioningAttempt attempt, CancellationToken cancellationToken)
    {
        var addresses = Addresses(columns.UserName, columns.Email)
            .Except(previous is { } before ? Addresses(before.UserName, before.Email) : []).ToList();
        if (addresses.Count == 0) return;
        // One indexed read on the provisioning path; the rule itself only when an address is outside.
        var owned = await OwnedAsync(connection, transaction, enterpriseId, cancellationToken);
        if (owned.Count == 0) return;
        foreach (var address in addresses)
        {
            var domain = EmailDomain.Of(address)!;
            if (EmailDomain.IsWithin(domain, owned)) continue;
            if ((await ReadAsync(connection, transaction, enterpriseId, cancellationToken)).OutsideDomains == OutsideDomains.Flag)
            {
                attempt.EffectNote = $"(outside your domains: {domain})";
                return;
            }
            if (previous is null) attempt.TargetId = null; // the member it would have created does not exist
            throw new ScimException(400, ScimErrorType.InvalidValue,
                $"{address} is outside this enterprise's email domains ({string.Join(", ", owned)}), and members outside them are refused. " +
                "Send an address in one of them, or ask an admin of the enterprise to add the domain.")
            {
                Data = { ["reason"] = $"{address} is outside the enterprise's email domains ({string.Join(", ", owned)}): {RefusedReason}" },
            };
        }
    }

    /// <summary>The enterprise's domains, stored form, in order.</summary>
    internal static Task<List<string>> OwnedAsync(DbConnection connection, DbTransaction? transaction, string enterpriseId, CancellationToken cancellationToken) =>
        connection.PreparedCommand("SELECT domain FROM enterprise_domains WHERE enterprise_id = @e ORDER BY domain", transaction)
            .With("@e", enterpriseId).ListAsync(r => r.GetString(0), cancellationToken);

    /// <summary>The values checked: the userName when it is an address, and the primary email.</summary>
    static IEnumerable<string> Addresses(string userName, string? email)
    {
        if (EmailDomain.Of(userName) is not null) yield return userName.ToLowerInvariant();
        if (email is not null && EmailDomain.Of(email) is not null && !string.Equals(email, userName, StringComparison.OrdinalIgnoreCase))
            yield return email.ToLowerInvariant();
    }

    static async Task<DomainRule> ReadAsync(DbConnection connection, DbTransaction? transaction, string enterpriseId, CancellationToken cancellationToken)
    {
        var domains = await connection.Command("SELECT domain, added_at FROM enterprise_domains WHERE enterprise_id = @e ORDER BY domain", transaction)
            .With("@e", enterpriseId).ListAsync(r => new OwnedDomain(r.GetString(0), r.Time(1)), cancellationToken);
        var outside = await connection.Command("SELECT outside_domains FROM enterprise_domain_rules WHERE enterprise_id = @e", transaction)
            .With("@e", enterpriseId).ListAsync(r => r.GetString(0), cancellationToken);
        return new DomainRule(domains, outside is [var rule] ? rule : OutsideDomains.Refuse);
    }
}
