using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Roster.Operations;

/// <summary>
/// Roster's own metrics and traces: one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both
/// named <see cref="Name"/>. Every tag value comes from a small fixed set (operation names, resource
/// types, IdP names, status classes, outcomes): never a userName, email, token, id or path, so that a
/// series cannot identify anyone and the number of series stays bounded.
/// </summary>
public sealed class RosterTelemetry : IDisposable
{
    public const string Name = "Roster";

    /// <summary>Seconds: the SDK's default buckets are milliseconds' (0, 5, 10, ... 10000), which would
    /// put every request in the first two.</summary>
    static readonly InstrumentAdvice<double> RequestBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    /// <summary>Seconds, up to the 24 hours a delivery is retried for.</summary>
    static readonly InstrumentAdvice<double> LagBuckets = new()
    {
        HistogramBucketBoundaries = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600],
    };

    readonly Meter meter;
    readonly Counter<long> scimRequests;
    readonly Histogram<double> scimDuration;
    readonly Counter<long> provisioningOutcomes;
    readonly Counter<long> rateLimitRejections;
    readonly Counter<long> webhookDeliveries;
    readonly Histogram<double> webhookDeliveryDuration;
    readonly Histogram<double> webhookLag;

    public RosterTelemetry()
    {
        meter = new Meter(Name);
        ActivitySource = new ActivitySource(Name);
        scimRequests = meter.CreateCounter<long>("roster.scim.requests", "{request}",
            "SCIM requests answered, by operation, resource type, IdP and status class.");
        scimDuration = meter.CreateHistogram<double>("roster.scim.request.duration", "s",
            "How long SCIM requests took to answer, by operation, resource type, IdP and status class.", null, RequestBuckets);
        provisioningOutcomes = meter.CreateCounter<long>("roster.provisioning.outcomes", "{request}",
            "Provisioning requests (SCIM writes) by outcome: succeeded, refused (4xx), failed (5xx), rate_limited.");
        rateLimitRejections = meter.CreateCounter<long>("roster.ratelimit.rejections", "{request}",
            "Requests refused with 429, by the limit they met (token, enterprise, ...).");
        webhookDeliveries = meter.CreateCounter<long>("roster.webhook.deliveries", "{delivery}",
            "Webhook delivery attempts by outcome.");
        webhookDeliveryDuration = meter.CreateHistogram<double>("roster.webhook.delivery.duration", "s",
            "How long webhook delivery attempts took, by outcome.", null, RequestBuckets);
        webhookLag = meter.CreateHistogram<double>("roster.webhook.lag", "s",
            "Time from an event being written to its delivery.", null, LagBuckets);
    }

    /// <summary>Roster's spans (a SCIM operation inside the ASP.NET Core request span).</summary>
    public ActivitySource ActivitySource { get; }

    /// <summary>Starts observing a SCIM request; dispose the observation once it is answered.</summary>
    internal ScimRequestObservation ObserveScimRequest(HttpContext http) => new(this, http);

    /// <summary>One answered SCIM request. <paramref name="operation"/> and <paramref name="resourceType"/>
    /// are the dispatcher's route names (null when no route matched).</summary>
    public void ScimRequestCompleted(string? operation, string? resourceType, string? userAgent, int status, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "operation", operation ?? "unknown" },
            { "resource_type", resourceType ?? "none" },
            { "idp", MetricIdentityProvider.FromUserAgent(userAgent) },
            { "status_class", StatusClass(status) },
        };
        scimRequests.Add(1, tags);
        scimDuration.Record(duration.TotalSeconds, tags);
        if (operation is "create" or "replace" or "patch" or "delete" or "bulk")
            provisioningOutcomes.Add(1, new TagList { { "outcome", Outcome(status) }, { "operation", operation } });
    }

    /// <summary>A request refused with 429; <paramref name="limit"/> names the limit ("token",
    /// "enterprise", or the admin API's own kind).</summary>
    public void RateLimited(string limit) => rateLimitRejections.Add(1, new KeyValuePair<string, object?>("limit", limit));

    /// <summary>For the webhook dispatcher: one delivery attempt and how long it took. <paramref name="outcome"/>
    /// is one of a few fixed words (delivered, failed, timeout, ...), never a URL or a response.</summary>
    public void WebhookDelivered(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        webhookDeliveries.Add(1, tag);
        webhookDeliveryDuration.Record(duration.TotalSeconds, tag);
    }

    /// <summary>For the webhook dispatcher: how long after its event was written a delivery happened.</summary>
    public void WebhookLag(TimeSpan lag) => webhookLag.Record(Math.Max(0, lag.TotalSeconds));

    static string StatusClass(int status) => status switch
    {
        >= 100 and < 600 => $"{status / 100}xx",
        _ => "other",
    };

    static string Outcome(int status) => status switch
    {
        429 => "rate_limited",
        < 400 => "succeeded",
        < 500 => "refused",
        _ => "failed",
    };

    public void Dispose()
    {
        ActivitySource.Dispose();
        meter.Dispose();
    }
}
