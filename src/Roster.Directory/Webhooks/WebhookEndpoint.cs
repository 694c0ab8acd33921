namespace Roster.Directory.Webhooks;

/// <summary>Where an enterprise's events are pushed, and which (empty: every type).</summary>
public sealed record WebhookEndpoint(
    string Id, string EnterpriseId, string Url, IReadOnlyList<string> EventTypes, string? Description, DateTimeOffset CreatedAt, string CreatedBy)
{
    public bool Wants(string eventType) => EventTypes.Count == 0 || EventTypes.Contains(eventType, StringComparer.Ordinal);
}

/// <summary>An endpoint as the console lists it: with how its deliveries stand.</summary>
public sealed record WebhookEndpointStatus(WebhookEndpoint Endpoint, long Pending, long Failed, long Delivered, DateTimeOffset? LastDeliveredAt);

/// <summary>A new endpoint, and its signing secret: shown this once, never again.</summary>
public sealed record AddedWebhookEndpoint(WebhookEndpoint Endpoint, string Secret);
