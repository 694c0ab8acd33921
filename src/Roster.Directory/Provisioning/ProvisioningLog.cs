using System.Data.Common;
using Roster.Directory.Enterprises;
using Roster.Directory.Members;
using Roster.Directory.Storage;
using Roster.Scim.Logging;

namespace Roster.Directory.Provisioning;

/// <summary>The record of every provisioning attempt of an enterprise: what the IdP asked, what
/// Roster did, and why a request failed.</summary>
public sealed class ProvisioningLog(RosterDatabase database, TimeProvider clock)
{
    const int MaxReasonLength = 1000;
    const int MaxClientLength = 200;
    const int MaxPathLength = 2000;
    const int MaxHeadersLength = 2000;

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
        var failed = outcome == ProvisioningEvent.Failed;
        // Only a failure keeps its messages, and only redacted: the log never holds a password or token.
        var request = failed && !attempt.RequestBody.IsEmpty ? MessageRedactor.Redact(attempt.RequestBody.Span) : null;
        var response = failed && attempt.ResponseBody is { Length: > 0 } answer ? MessageRedactor.Redact(answer) : null;
        return connection.PreparedCommand(
                "INSERT INTO provisioning_events (enterprise_id, occurred_at, request_id, method, path, operation, resource_type, target_id, target_name, " +
                "outcome, effect, http_status, scim_type, reason, client, token_id, duration_ms, " +
                "request_headers, request_body, request_body_truncated, response_body, response_body_truncated) VALUES " +
                "(@e, @at, @rid, @method, @path, @op, @rt, @tid, @tname, @outcome, @effect, @status, @stype, @reason, @client, @token, @duration, " +
                "@rqh, @rqb, @rqt, @rsb, @rst)", transaction)
            .With("@e", attempt.EnterpriseId).With("@at", now.ToDb()).With("@rid", attempt.RequestId).With("@method", attempt.Method)
            .With("@path", Truncate(attempt.Path, MaxPathLength)).With("@op", attempt.Operation).With("@rt", attempt.ResourceType)
            .With("@tid", attempt.TargetId).With("@tname", attempt.TargetName).With("@outcome", outcome)
            .With("@effect", failed ? null : EffectOf(attempt)) // a failed change had no effect
            .With("@status", status).With("@stype", scimType).With("@reason", Truncate(reason, MaxReasonLength))
            .With("@client", Truncate(attempt.Client, MaxClientLength)).With("@token", attempt.TokenId).With("@duration", duration)
            .With("@rqh", failed ? Truncate(attempt.RequestHeaders, MaxHeadersLength) : null)
            .With("@rqb", request?.Text).With("@rqt", request?.Truncated ?? false)
            .With("@rsb", response?.Text).With("@rst", response?.Truncated ?? false)
            .ExecuteAsync(cancellationToken);
    }

    /// <summary>The newest entries first. <paramref name="before"/> pages backwards by id.</summary>
    public Task<List<ProvisioningEvent>> QueryAsync(Enterprise enterprise, bool failedOnly, int limit, long? before = null, string? targetId = null,
        CancellationToken cancellationToken = default)
    {
        var filter = new ProvisioningLogFilter { Outcome = failedOnly ? ProvisioningEvent.Failed : null, Before = before };
        return targetId is null
            ? QueryAsync(enterprise, filter, limit, cancellationToken)
            : QueryByTargetIdAsync(enterprise, filter, targetId, limit, cancellationToken);
    }

    Task<List<ProvisioningEvent>> QueryByTargetIdAsync(Enterprise enterprise, ProvisioningLogFilter filter, string targetId, int limit,
        CancellationToken cancellationToken) =>
        RunQueryAsync(enterprise, filter, limit, " AND target_id = @target", c => c.With("@target", targetId), cancellationToken);

    /// <summary>
    /// The entries <paramref name="filter"/> selects, newest first (with <see cref="ProvisioningLogFilter.After"/>:
    /// the oldest <paramref name="limit"/> newer than it, still newest first, so a poller catches up
    /// in order). Each condition is a range or equality read along the (enterprise_id, id DESC)
    /// indexes, so a page costs its rows, not the log's size.
    /// </summary>
    public Task<List<ProvisioningEvent>> QueryAsync(Enterprise enterprise, ProvisioningLogFilter filter, int limit,
        CancellationToken cancellationToken = default)
    {
        if (filter.Target is not { Length: > 0 } target) return RunQueryAsync(enterprise, filter, limit, "", null, cancellationToken);
        // A target by id (any member or group, deleted ones too), or by the name of a live member or
        // group: each a lookup in a unique index, then the provisioning_events_target index.
        return RunQueryAsync(enterprise, filter, limit,
            " AND (target_id = @target OR target_id IN " +
            "(SELECT id FROM members WHERE enterprise_id = @e AND user_name_key = @targetKey AND deleted_at IS NULL " +
            "UNION SELECT id FROM groups WHERE enterprise_id = @e AND display_name_key = @targetKey AND deleted_at IS NULL))",
            c => c.With("@target", target.Trim()).With("@targetKey", MemberColumns.Key(target.Trim())), cancellationToken);
    }

    async Task<List<ProvisioningEvent>> RunQueryAsync(Enterprise enterprise, ProvisioningLogFilter filter, int limit, string targetCondition,
        Action<System.Data.Common.DbCommand>? bindTarget, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {Columns} FROM provisioning_events WHERE enterprise_id = @e";
        // The outcome as a literal, not a parameter: only then may the planner use the partial index of failures.
        if (filter.Outcome is not null)
            sql += filter.Outcome switch
            {
                ProvisioningEvent.Failed => " AND outcome = 'failed'",
                ProvisioningEvent.Succeeded => " AND outcome = 'succeeded'",
                _ => throw new ArgumentException($"An outcome is '{ProvisioningEvent.Failed}' or '{ProvisioningEvent.Succeeded}', not '{filter.Outcome}'.", nameof(filter)),
            };
        if (filter.Operation is not null) sql += " AND operation = @operation";
        if (filter.From is not null) sql += " AND occurred_at >= @from";
        if (filter.To is not null) sql += " AND occurred_at < @to";
        if (filter.Before is not null) sql += " AND id < @before";
        if (filter.After is not null) sql += " AND id > @after";
        sql += targetCondition;
        sql += filter.After is not null ? " ORDER BY id ASC LIMIT @limit" : " ORDER BY id DESC LIMIT @limit";
        var rows = await database.ReadAsync(c =>
        {
            var command = c.Command(sql).With("@e", enterprise.Id).With("@limit", Math.Clamp(limit, 1, 10_000));
            if (filter.Operation is not null) command.With("@operation", filter.Operation);
            if (filter.From is not null) command.With("@from", filter.From.Value.ToDb());
            if (filter.To is not null) command.With("@to", filter.To.Value.ToDb());
            if (filter.Before is not null) command.With("@before", filter.Before.Value);
            if (filter.After is not null) command.With("@after", filter.After.Value);
            bindTarget?.Invoke(command);
            return command.ListAsync(Read, cancellationToken);
        }, cancellationToken);
        if (filter.After is not null) rows.Reverse();
        return rows;
    }

    /// <summary>One entry of the enterprise with its messages, or null (also for another enterprise's id).</summary>
    public Task<ProvisioningEvent?> FindAsync(Enterprise enterprise, long id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command(
                $"SELECT {Columns}, request_headers, request_body, request_body_truncated, response_body, response_body_truncated " +
                "FROM provisioning_events WHERE enterprise_id = @e AND id = @id")
            .With("@e", enterprise.Id).With("@id", id)
            .SingleOrDefaultAsync(r => Read(r) with
            {
                Messages = new ProvisioningMessages(r.StringOrNull(18), r.StringOrNull(19), r.GetBoolean(20), r.StringOrNull(21), r.GetBoolean(22)),
            }, cancellationToken), cancellationToken);

    /// <summary>How many attempts of the enterprise failed since <paramref name="since"/>.</summary>
    public Task<long> CountFailedSinceAsync(Enterprise enterprise, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command("SELECT count(*) FROM provisioning_events WHERE enterprise_id = @e AND outcome = 'failed' AND occurred_at >= @since")
            .With("@e", enterprise.Id).With("@since", since.ToDb()).ScalarLongAsync(cancellationToken), cancellationToken);

    static ProvisioningEvent Read(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.Time(2), r.StringOrNull(3), r.GetString(4), r.GetString(5), r.GetString(6), r.StringOrNull(7),
        r.StringOrNull(8), r.StringOrNull(9), r.GetString(10), r.StringOrNull(11), r.GetInt32(12), r.StringOrNull(13), r.StringOrNull(14),
        r.StringOrNull(15), r.StringOrNull(16), r.IsDBNull(17) ? null : r.GetInt32(17));

    static string? EffectOf(ProvisioningAttempt attempt) => attempt.EffectNote is null ? attempt.Effect : $"{attempt.Effect} {attempt.EffectNote}";

    static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max] + "…";
}
