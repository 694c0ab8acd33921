using System.Data.Common;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.Provisioning;

/// <summary>The record of every provisioning attempt of an enterprise: what the IdP asked, what
/// Roster did, and why a request failed.</summary>
public sealed class ProvisioningLog(RosterDatabase database, TimeProvider clock)
{
    const int MaxReasonLength = 1000;
    const int MaxClientLength = 200;
    const int MaxPathLength = 2000;

    const string Columns = "id, enterprise_id, occurred_at, request_id, method, path, operation, resource_type, target_id, target_name, " +
                           "outcome, effect, http_status, scim_type, reason, client, token_id, duration_ms";

    /// <summary>Records a success inside the transaction that made the change.</summary>
    public Task RecordSuccessAsync(DbConnection connection, DbTransaction transaction, ProvisioningAttempt attempt, CancellationToken cancellationToken = default) =>
        InsertAsync(connection, transaction, attempt, ProvisioningEvent.Succeeded, attempt.SuccessStatus, null, null, cancellationToken);

    /// <summary>Records a failure in a transaction of its own: the failed change was rolled back, its
    /// record must stay.</summary>
    public Task RecordFailureAsync(ProvisioningAttempt attempt, int status, string? scimType, string reason, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync((connection, transaction) =>
            InsertAsync(connection, transaction, attempt, ProvisioningEvent.Failed, status, scimType, reason, cancellationToken), cancellationToken);

    Task InsertAsync(DbConnection connection, DbTransaction transaction, ProvisioningAttempt attempt, string outcome, int status,
        string? scimType, string? reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var duration = (int)Math.Clamp((now - attempt.StartedAt).TotalMilliseconds, 0, int.MaxValue);
        return connection.Command(
                "INSERT INTO provisioning_events (enterprise_id, occurred_at, request_id, method, path, operation, resource_type, target_id, target_name, " +
                "outcome, effect, http_status, scim_type, reason, client, token_id, duration_ms) VALUES " +
                "(@e, @at, @rid, @method, @path, @op, @rt, @tid, @tname, @outcome, @effect, @status, @stype, @reason, @client, @token, @duration)", transaction)
            .With("@e", attempt.EnterpriseId).With("@at", now.ToDb()).With("@rid", attempt.RequestId).With("@method", attempt.Method)
            .With("@path", Truncate(attempt.Path, MaxPathLength)).With("@op", attempt.Operation).With("@rt", attempt.ResourceType)
            .With("@tid", attempt.TargetId).With("@tname", attempt.TargetName).With("@outcome", outcome)
            .With("@effect", outcome == ProvisioningEvent.Failed ? null : attempt.Effect) // a failed change had no effect
            .With("@status", status).With("@stype", scimType).With("@reason", Truncate(reason, MaxReasonLength))
            .With("@client", Truncate(attempt.Client, MaxClientLength)).With("@token", attempt.TokenId).With("@duration", duration)
            .ExecuteAsync(cancellationToken);
    }

    /// <summary>The newest entries first. <paramref name="before"/> pages backwards by id.</summary>
    public Task<List<ProvisioningEvent>> QueryAsync(Enterprise enterprise, bool failedOnly, int limit, long? before = null, string? targetId = null,
        CancellationToken cancellationToken = default)
    {
        var sql = $"SELECT {Columns} FROM provisioning_events WHERE enterprise_id = @e";
        if (failedOnly) sql += " AND outcome = 'failed'";
        if (before is not null) sql += " AND id < @before";
        if (targetId is not null) sql += " AND target_id = @target";
        sql += " ORDER BY id DESC LIMIT @limit";
        return database.ReadAsync(c =>
        {
            var command = c.Command(sql).With("@e", enterprise.Id).With("@limit", Math.Clamp(limit, 1, 10_000));
            if (before is not null) command.With("@before", before.Value);
            if (targetId is not null) command.With("@target", targetId);
            return command.ListAsync(Read, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>How many attempts of the enterprise failed since <paramref name="since"/>.</summary>
    public Task<long> CountFailedSinceAsync(Enterprise enterprise, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command("SELECT count(*) FROM provisioning_events WHERE enterprise_id = @e AND outcome = 'failed' AND occurred_at >= @since")
            .With("@e", enterprise.Id).With("@since", since.ToDb()).ScalarLongAsync(cancellationToken), cancellationToken);

    static ProvisioningEvent Read(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.Time(2), r.StringOrNull(3), r.GetString(4), r.GetString(5), r.GetString(6), r.StringOrNull(7),
        r.StringOrNull(8), r.StringOrNull(9), r.GetString(10), r.StringOrNull(11), r.GetInt32(12), r.StringOrNull(13), r.StringOrNull(14),
        r.StringOrNull(15), r.StringOrNull(16), r.IsDBNull(17) ? null : r.GetInt32(17));

    static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max] + "…";
}
