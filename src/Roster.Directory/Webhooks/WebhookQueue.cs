using System.Data.Common;
using System.Text.Json.Nodes;
using System.Text.Json;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Events;
using Roster.Directory.Storage;

namespace Roster.Directory.Webhooks;

/// <summary>
/// The deliveries of events to webhook endpoints, shared by every Roster instance through the database:
/// <list type="number">
/// <item><see cref="QueueAsync"/> turns each endpoint's new events into deliveries, moving the
/// endpoint's queued_through compare-and-set, so two instances never queue an event twice.</item>
/// <item><see cref="ClaimAsync"/> leases due deliveries, each the oldest pending one of its member for
/// its endpoint (order per member), compare-and-set, so one instance sends each.</item>
/// <item><see cref="CompleteAsync"/> records the attempt: delivered, or the next attempt by
/// <see cref="RetrySchedule"/>, or failed for good.</item>
/// </list>
/// A lease that runs out (its instance died mid-send) makes the delivery claimable again: a receiver may
/// see an event twice, with the same id, and never not at all.
/// </summary>
public sealed class WebhookQueue(RosterDatabase database, TimeProvider clock)
{
    public const int ResponseSnippetLength = 512;

    /// <summary>Queues deliveries for up to <paramref name="maxEvents"/> new events of each endpoint.
    /// Returns how many were queued.</summary>
    public async Task<int> QueueAsync(int maxEvents = 500, CancellationToken cancellationToken = default)
    {
        var endpoints = await database.ReadAsync(c => c.Command(
                "SELECT w.id, w.enterprise_id, w.event_types, w.queued_through FROM webhook_endpoints w " +
                "WHERE w.deleted_at IS NULL AND EXISTS (SELECT 1 FROM event_counters ec WHERE ec.enterprise_id = w.enterprise_id AND ec.last_seq > w.queued_through)")
            .ListAsync(r => (Id: r.GetString(0), EnterpriseId: r.GetString(1), Types: JsonSerializer.Deserialize<List<string>>(r.GetString(2)) ?? [],
                Through: r.GetInt64(3)), cancellationToken), cancellationToken);
        var queued = 0;
        foreach (var endpoint in endpoints)
        {
            queued += await database.InTransactionAsync(async (connection, transaction) =>
            {
                var events = await connection.Command(
                        "SELECT seq, id, type, subject_type, subject_id, data FROM events WHERE enterprise_id = @e AND seq > @after ORDER BY seq LIMIT @limit",
                        transaction)
                    .With("@e", endpoint.EnterpriseId).With("@after", endpoint.Through).With("@limit", maxEvents)
                    .ListAsync(r => (Seq: r.GetInt64(0), Id: r.GetString(1), Type: r.GetString(2), SubjectType: r.GetString(3), SubjectId: r.GetString(4),
                        Data: r.GetString(5)), cancellationToken);
                if (events.Count == 0) return 0;
                var moved = await connection.Command("UPDATE webhook_endpoints SET queued_through = @to WHERE id = @id AND queued_through = @from", transaction)
                    .With("@to", events[^1].Seq).With("@id", endpoint.Id).With("@from", endpoint.Through).ExecuteAsync(cancellationToken);
                if (moved == 0) return 0; // another instance queued them
                var now = clock.GetUtcNow();
                var wanted = events.Where(e => endpoint.Types.Count == 0 || endpoint.Types.Contains(e.Type, StringComparer.Ordinal)).ToList();
                foreach (var e in wanted)
                {
                    await connection.Command(
                            "INSERT INTO webhook_deliveries (enterprise_id, endpoint_id, event_seq, event_id, event_type, order_key, state, attempts, " +
                            "next_attempt_at, created_at, retry_since) VALUES (@e, @w, @seq, @id, @type, @key, 'pending', 0, @now, @now, @now)", transaction)
                        .With("@e", endpoint.EnterpriseId).With("@w", endpoint.Id).With("@seq", e.Seq).With("@id", e.Id).With("@type", e.Type)
                        .With("@key", OrderKey(e.SubjectType, e.SubjectId, e.Data)).With("@now", now.ToDb()).ExecuteAsync(cancellationToken);
                }
                return wanted.Count;
            }, cancellationToken);
        }
        return queued;
    }

    /// <summary>Leases up to <paramref name="max"/> due deliveries for <paramref name="lease"/>: this
    /// instance sends them, and <see cref="CompleteAsync"/> must record each.</summary>
    public async Task<List<ClaimedDelivery>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var candidates = await database.ReadAsync(c => c.Command(
                "SELECT d.id FROM webhook_deliveries d WHERE d.state = 'pending' AND d.next_attempt_at <= @now " +
                "AND (d.lease_until IS NULL OR d.lease_until < @now) " +
                "AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id AND p.order_key = d.order_key " +
                "AND p.state = 'pending' AND p.event_seq < d.event_seq) " +
                "ORDER BY d.next_attempt_at, d.id LIMIT @max")
            .With("@now", now.ToDb()).With("@max", max).ListAsync(r => r.GetInt64(0), cancellationToken), cancellationToken);
        var claimed = new List<ClaimedDelivery>();
        foreach (var id in candidates)
        {
            var delivery = await database.InTransactionAsync(async (connection, transaction) =>
            {
                var won = await connection.Command(
                        "UPDATE webhook_deliveries SET lease_until = @until, attempts = attempts + 1 " +
                        "WHERE id = @id AND state = 'pending' AND (lease_until IS NULL OR lease_until < @now)", transaction)
                    .With("@until", (now + lease).ToDb()).With("@id", id).With("@now", now.ToDb()).ExecuteAsync(cancellationToken);
                if (won == 0) return null;
                return await connection.Command(
                        "SELECT d.id, d.enterprise_id, d.endpoint_id, w.url, w.secret, d.event_id, d.event_type, d.attempts, " +
                        "ev.seq, ev.occurred_at, ev.subject_type, ev.subject_id, ev.data, d.retry_since " +
                        "FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id " +
                        "JOIN events ev ON ev.enterprise_id = d.enterprise_id AND ev.seq = d.event_seq WHERE d.id = @id", transaction)
                    .With("@id", id).SingleOrDefaultAsync(r =>
                    {
                        var e = new DirectoryEvent(r.GetInt64(8), r.GetString(5), r.GetString(1), r.GetString(6), r.Time(9), r.GetString(10), r.GetString(11),
                            JsonNode.Parse(r.GetString(12)) as JsonObject ?? new JsonObject());
                        return new ClaimedDelivery(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                            r.GetInt32(7), e.ToJson().ToJsonString(), e.OccurredAt, r.Time(13));
                    }, cancellationToken);
            }, cancellationToken);
            if (delivery is not null) claimed.Add(delivery);
        }
        return claimed;
    }

    /// <summary>Records an attempt of a claimed delivery and releases its lease. Returns the state it is
    /// left in.</summary>
    public Task<string> CompleteAsync(ClaimedDelivery delivery, AttemptOutcome outcome, double jitter, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var response = outcome.Response is { Length: > ResponseSnippetLength } text ? text[..ResponseSnippetLength] : outcome.Response;
            var error = outcome.Error is { Length: > ResponseSnippetLength } e ? e[..ResponseSnippetLength] : outcome.Error;
            var duration = (long)outcome.Duration.TotalMilliseconds;
            DateTimeOffset? next = outcome.Delivered ? null : RetrySchedule.NextAttempt(delivery.Attempt, delivery.RetrySince, now, jitter);
            var state = outcome.Delivered ? DeliveryState.Delivered : next is null ? DeliveryState.Failed : DeliveryState.Pending;
            await connection.Command(
                    "INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status, error, duration_ms, response) " +
                    "VALUES (@id, @n, @now, @status, @error, @ms, @response) ON CONFLICT DO NOTHING", transaction)
                .With("@id", delivery.Id).With("@n", delivery.Attempt).With("@now", now.ToDb()).With("@status", outcome.Status).With("@error", error)
                .With("@ms", duration).With("@response", response).ExecuteAsync(cancellationToken);
            await connection.Command(
                    "UPDATE webhook_deliveries SET state = @state, lease_until = NULL, next_attempt_at = @next, completed_at = @completed, " +
                    "last_status = @status, last_error = @error, last_duration_ms = @ms, last_response = @response WHERE id = @id AND state = 'pending'",
                    transaction)
                .With("@state", state).With("@next", (next ?? now).ToDb()).With("@completed", state == DeliveryState.Pending ? null : now.ToDb())
                .With("@status", outcome.Status).With("@error", error).With("@ms", duration).With("@response", response).With("@id", delivery.Id)
                .ExecuteAsync(cancellationToken);
            return state;
        }, cancellationToken);

    /// <summary>The enterprise's deliveries, newest first: all, one endpoint's, or the failed ones (given
    /// up, or pending after a failed attempt), before <paramref name="beforeId"/> for the next page.</summary>
    public Task<List<WebhookDelivery>> ListAsync(Enterprise enterprise, string? endpointId = null, bool failingOnly = false, int limit = 50,
        long? beforeId = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command(
                $"SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.enterprise_id = @e" +
                (endpointId is null ? "" : " AND d.endpoint_id = @w") +
                (failingOnly ? " AND (d.state = 'failed' OR (d.state = 'pending' AND (d.last_status IS NOT NULL OR d.last_error IS NOT NULL)))" : "") +
                (beforeId is null ? "" : " AND d.id < @before") + " ORDER BY d.id DESC LIMIT @limit")
            .With("@e", enterprise.Id).With("@w", endpointId).With("@before", beforeId).With("@limit", Math.Clamp(limit, 1, 500))
            .ListAsync(ReadDelivery, cancellationToken), cancellationToken);

    public Task<WebhookDelivery?> GetAsync(Enterprise enterprise, long id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command(
                $"SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.enterprise_id = @e AND d.id = @id")
            .With("@e", enterprise.Id).With("@id", id).SingleOrDefaultAsync(ReadDelivery, cancellationToken), cancellationToken);

    /// <summary>Every attempt of one of the enterprise's deliveries, first first.</summary>
    public Task<List<WebhookAttempt>> AttemptsAsync(Enterprise enterprise, long deliveryId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.Command(
                "SELECT a.attempt, a.attempted_at, a.status, a.error, a.duration_ms, a.response FROM webhook_attempts a " +
                "JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.enterprise_id = @e AND a.delivery_id = @id ORDER BY a.attempt")
            .With("@e", enterprise.Id).With("@id", deliveryId)
            .ListAsync(r => new WebhookAttempt(r.GetInt32(0), r.Time(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.StringOrNull(3), r.GetInt64(4), r.StringOrNull(5)),
                cancellationToken), cancellationToken);

    /// <summary>Sends a delivery again: due at once, retried for another <see cref="RetrySchedule.GiveUpAfter"/>
    /// if it fails, with the same event id (so a receiver that had it already can tell).</summary>
    /// <exception cref="RosterException">No such delivery, or it is being sent right now.</exception>
    public Task<WebhookDelivery> ResendAsync(Enterprise enterprise, long id, AuditActor actor, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var updated = await connection.Command(
                    "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = @now, retry_since = @now, completed_at = NULL " +
                    "WHERE id = @id AND enterprise_id = @e AND (lease_until IS NULL OR lease_until < @now) " +
                    "AND EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = endpoint_id AND w.deleted_at IS NULL)", transaction)
                .With("@now", now.ToDb()).With("@id", id).With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
            if (updated == 0)
                throw new RosterException($"Delivery {id} cannot be resent: it is not one of this enterprise's, its endpoint was removed, or it is being sent right now.");
            var delivery = await connection.Command(
                    $"SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.id = @id", transaction)
                .With("@id", id).SingleOrDefaultAsync(ReadDelivery, cancellationToken)
                ?? throw new InvalidOperationException("A delivery just updated cannot be read back.");
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.WebhookDeliveryResent,
                $"Delivery {id} of event {delivery.EventId} ({delivery.EventType}) to {delivery.EndpointUrl} resent", now, cancellationToken);
            return delivery;
        }, cancellationToken);

    const string DeliveryColumns =
        "d.id, d.endpoint_id, w.url, d.event_seq, d.event_id, d.event_type, d.state, d.attempts, d.created_at, d.next_attempt_at, d.completed_at, " +
        "d.last_status, d.last_error, d.last_duration_ms, d.last_response";

    static WebhookDelivery ReadDelivery(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetInt32(7), r.Time(8), r.Time(9),
        r.TimeOrNull(10), r.IsDBNull(11) ? null : r.GetInt32(11), r.StringOrNull(12), r.LongOrNull(13), r.StringOrNull(14));

    /// <summary>The member an event concerns (a membership's or a role change's member too), else its
    /// subject: what deliveries keep their order by.</summary>
    static string OrderKey(string subjectType, string subjectId, string data)
    {
        if (subjectType == EventTypes.SubjectMember) return "member:" + subjectId;
        var member = (JsonNode.Parse(data) as JsonObject)?["member"]?["id"]?.GetValue<string>();
        return member is null ? $"{subjectType}:{subjectId}" : "member:" + member;
    }
}
