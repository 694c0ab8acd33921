using System.Data.Common;
using System.Globalization;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.Operations;

/// <summary>Each enterprise's <see cref="EnterpriseRateLimit"/> overrides: none until an admin sets
/// one, every change audited in its own transaction.</summary>
public sealed class EnterpriseRateLimits(RosterDatabase database, TimeProvider clock)
{
    public Task<EnterpriseRateLimit> GetAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        GetAsync(enterprise.Id, cancellationToken);

    /// <summary>By enterprise id: what the SCIM endpoint asks, which knows the id of a token's enterprise.</summary>
    public Task<EnterpriseRateLimit> GetAsync(string enterpriseId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => ReadAsync(c, null, enterpriseId, cancellationToken), cancellationToken);

    static async Task<EnterpriseRateLimit> ReadAsync(DbConnection connection, DbTransaction? transaction, string enterpriseId,
        CancellationToken cancellationToken) =>
        await connection.Command("SELECT per_token, per_enterprise, updated_at FROM enterprise_rate_limits WHERE enterprise_id = @e", transaction)
            .With("@e", enterpriseId)
            .SingleOrDefaultAsync(r => new EnterpriseRateLimit(
                r.IsDBNull(0) ? null : r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt32(1), r.Time(2)), cancellationToken)
        ?? EnterpriseRateLimit.Default;

    /// <summary>Sets the enterprise's limits. For each one: null keeps it as it is, <see cref="Change.ToDefault"/>
    /// returns it to the server's default, a number sets it. Audited when it changed anything.</summary>
    /// <exception cref="RosterException">A number out of range; the message says the range.</exception>
    public Task<EnterpriseRateLimit> SetAsync(Enterprise enterprise, Change? perToken, Change? perEnterprise, AuditActor? actor,
        CancellationToken cancellationToken = default)
    {
        Validate(perToken, "per-token");
        Validate(perEnterprise, "per-enterprise");
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await EnterpriseDirectory.LockAsync(connection, transaction, database.Dialect, enterprise, cancellationToken);
            var before = await ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
            var now = clock.GetUtcNow();
            var after = new EnterpriseRateLimit(Apply(perToken, before.PerToken), Apply(perEnterprise, before.PerEnterprise), now);
            if (after.PerToken == before.PerToken && after.PerEnterprise == before.PerEnterprise) return before;
            await connection.Command("DELETE FROM enterprise_rate_limits WHERE enterprise_id = @e", transaction)
                .With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
            if (after.PerToken is not null || after.PerEnterprise is not null)
            {
                await connection.Command(
                        "INSERT INTO enterprise_rate_limits (enterprise_id, per_token, per_enterprise, updated_at) VALUES (@e, @token, @enterprise, @now)",
                        transaction)
                    .With("@e", enterprise.Id).With("@token", after.PerToken).With("@enterprise", after.PerEnterprise)
                    .With("@now", now.ToDb()).ExecuteAsync(cancellationToken);
            }
            else
            {
                after = EnterpriseRateLimit.Default;
            }
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.RateLimitChanged,
                $"SCIM rate limits set: per token {Describe(after.PerToken)}, per enterprise {Describe(after.PerEnterprise)} " +
                $"(was: per token {Describe(before.PerToken)}, per enterprise {Describe(before.PerEnterprise)})",
                now, cancellationToken);
            return after;
        }, cancellationToken);
    }

    /// <summary>What to do with one limit: set it to <see cref="PerSecond"/>, or back to the server's
    /// default when that is null.</summary>
    public sealed record Change(int? PerSecond)
    {
        public static Change ToDefault { get; } = new((int?)null);
    }

    static int? Apply(Change? change, int? current) => change is null ? current : change.PerSecond;

    static void Validate(Change? change, string which)
    {
        if (change?.PerSecond is { } n && (n < 1 || n > EnterpriseRateLimit.MaxPerSecond))
        {
            throw new RosterException(
                $"The {which} rate limit is a whole number of requests per second from 1 to {EnterpriseRateLimit.MaxPerSecond}, not {n}.");
        }
    }

    static string Describe(int? perSecond) =>
        perSecond is { } n ? n.ToString(CultureInfo.InvariantCulture) + "/s" : "the server's default";
}
