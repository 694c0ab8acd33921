namespace Roster.Directory.Webhooks;

/// <summary>The states of a delivery: waiting to be sent (or retried), received by the endpoint (a 2xx),
/// or given up on after retrying for <see cref="RetrySchedule.GiveUpAfter"/>.</summary>
public static class DeliveryState
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>One event's delivery to one endpoint, with its last attempt.</summary>
public sealed record WebhookDelivery(
    long Id, string EndpointId, string EndpointUrl, long EventCursor, string EventId, string EventType, string State, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? CompletedAt, int? LastStatus, string? LastError, long? LastDurationMs,
    string? LastResponse);

/// <summary>One attempt of a delivery: the receiver's status (null when none came), or the error.</summary>
public sealed record WebhookAttempt(int Attempt, DateTimeOffset AttemptedAt, int? Status, string? Error, long DurationMs, string? Response);

/// <summary>A delivery an instance has claimed and now sends: where, signed with what, and the body.</summary>
public sealed record ClaimedDelivery(
    long Id, string EnterpriseId, string EndpointId, string Url, string Secret, string EventId, string EventType, int Attempt, string Body,
    DateTimeOffset EventOccurredAt, DateTimeOffset RetrySince);

/// <summary>What an attempt came to.</summary>
public sealed record AttemptOutcome(int? Status, string? Error, TimeSpan Duration, string? Response)
{
    /// <summary>A 2xx: the receiver has the event.</summary>
    public bool Delivered => Status is >= 200 and < 300;
}
