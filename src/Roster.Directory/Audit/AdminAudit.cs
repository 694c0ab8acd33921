using System.Data.Common;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.Audit;

/// <summary>
/// The audit log of admin actions. The stores that make an audited change write its entry themselves,
/// through <see cref="RecordAsync"/>, inside the change's own transaction: an entry exists exactly when
/// its change was committed. Every read is scoped to one enterprise.
/// </summary>
public sealed class AdminAudit(RosterDatabase database)
{
    const int MaxSummaryLength = 1000;
    const string Columns = "id, enterprise_id, occurred_at, actor, action, summary";

    /// <summary>Writes an entry in the caller's transaction; nothing when there is no actor, that is
    /// when the change is not an admin's action (a test setting up, a benchmark).</summary>
    internal static Task RecordAsync(DbConnection connection, DbTransaction transaction, string enterpriseId, AuditActor? actor, string action,
        string summary, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (actor is null) return Task.CompletedTask;
        return connection.Command("INSERT INTO admin_audit (enterprise_id, occurred_at, actor, action, summary) VALUES (@e, @at, @actor, @action, @summary)",
                transaction)
            .With("@e", enterpriseId).With("@at", at.ToDb()).With("@actor", actor.Stored).With("@action", action)
            .With("@summary", summary.Length <= MaxSummaryLength ? summary : summary[..MaxSummaryLength] + "…")
            .ExecuteAsync(cancellationToken);
    }

    /// <summary>The enterprise's entries, newest first; <paramref name="before"/> pages backwards by id.</summary>
    public Task<List<AdminAuditEntry>> ListAsync(Enterprise enterprise, int limit, long? before = null, CancellationToken cancellationToken = default)
    {
        var sql = $"SELECT {Columns} FROM admin_audit WHERE enterprise_id = @e" + (before is null ? "" : " AND id < @before") + " ORDER BY id DESC LIMIT @limit";
        return database.ReadAsync(c =>
        {
            var command = c.Command(sql).With("@e", enterprise.Id).With("@limit", Math.Clamp(limit, 1, 10_000));
            if (before is not null) command.With("@before", before.Value);
            return command.ListAsync(Read, cancellationToken);
        }, cancellationToken);
    }

    static AdminAuditEntry Read(DbDataReader r) => new(r.GetInt64(0), r.GetString(1), r.Time(2), r.GetString(3), r.GetString(4), r.GetString(5));
}
