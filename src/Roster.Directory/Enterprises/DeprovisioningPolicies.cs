using System.Data.Common;
using System.Globalization;
using Roster.Directory.Audit;
using Roster.Directory.Storage;

namespace Roster.Directory.Enterprises;

/// <summary>Each enterprise's <see cref="DeprovisioningPolicy"/>: the defaults until an admin sets one,
/// every change audited in its own transaction.</summary>
public sealed class DeprovisioningPolicies(RosterDatabase database, TimeProvider clock)
{
    public Task<DeprovisioningPolicy> GetAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => ReadAsync(c, null, enterprise.Id, cancellationToken), cancellationToken);

    /// <summary>The policy inside a caller's transaction (a deprovisioning reads it with the change it decides).</summary>
    internal static async Task<DeprovisioningPolicy> ReadAsync(DbConnection connection, DbTransaction? transaction, string enterpriseId,
        CancellationToken cancellationToken) =>
        await connection.Command("SELECT on_deactivate, on_delete, grace_days, updated_at FROM deprovisioning_policies WHERE enterprise_id = @e", transaction)
            .With("@e", enterpriseId)
            .SingleOrDefaultAsync(r => new DeprovisioningPolicy(r.GetString(0), r.GetString(1), r.GetInt32(2), r.Time(3)), cancellationToken)
        ?? DeprovisioningPolicy.Default;

    /// <summary>Sets the enterprise's policy; null values keep the current ones. Recorded in the audit
    /// log in the same transaction when it changed anything.</summary>
    /// <exception cref="RosterException">A value is not one Roster knows; the message says which ones it does.</exception>
    public Task<DeprovisioningPolicy> SetAsync(Enterprise enterprise, string? onDeactivate, string? onDelete, int? graceDays, AuditActor? actor,
        CancellationToken cancellationToken = default)
    {
        onDeactivate = Action(onDeactivate, "on deactivate");
        onDelete = Action(onDelete, "on delete");
        if (graceDays is < 0 or > DeprovisioningPolicy.MaxGraceDays)
        {
            throw new RosterException(
                $"The grace period is a whole number of days from 0 (removal is final at once) to {DeprovisioningPolicy.MaxGraceDays}, not {graceDays}.");
        }
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await EnterpriseDirectory.LockAsync(connection, transaction, database.Dialect, enterprise, cancellationToken);
            var before = await ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
            var now = clock.GetUtcNow();
            var after = new DeprovisioningPolicy(onDeactivate ?? before.OnDeactivate, onDelete ?? before.OnDelete, graceDays ?? before.GraceDays, now);
            if (before.UpdatedAt is not null && after with { UpdatedAt = before.UpdatedAt } == before) return before;
            await connection.Command("DELETE FROM deprovisioning_policies WHERE enterprise_id = @e", transaction)
                .With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
            await connection.Command(
                    "INSERT INTO deprovisioning_policies (enterprise_id, on_deactivate, on_delete, grace_days, updated_at) VALUES (@e, @deactivate, @delete, @grace, @now)",
                    transaction)
                .With("@e", enterprise.Id).With("@deactivate", after.OnDeactivate).With("@delete", after.OnDelete).With("@grace", after.GraceDays)
                .With("@now", now.ToDb()).ExecuteAsync(cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.DeprovisioningPolicyChanged,
                $"Deprovisioning policy set: on deactivate {after.OnDeactivate}, on delete {after.OnDelete}, grace period " +
                $"{after.GraceDays.ToString(CultureInfo.InvariantCulture)} day(s) (was: on deactivate {before.OnDeactivate}, on delete {before.OnDelete}, " +
                $"grace period {before.GraceDays.ToString(CultureInfo.InvariantCulture)} day(s))",
                now, cancellationToken);
            return after;
        }, cancellationToken);
    }

    static string? Action(string? value, string when)
    {
        if (value is null) return null;
        var action = value.Trim().ToLowerInvariant();
        return DeprovisioningPolicy.Actions.Contains(action)
            ? action
            : throw new RosterException(
                $"What to do {when} is '{DeprovisioningPolicy.Suspend}' (deactivate, restorable) or '{DeprovisioningPolicy.Remove}' " +
                $"(gone for SCIM, history kept), not '{value}'.");
    }
}
