using System.Threading.RateLimiting;

namespace Roster.Operations;

/// <summary>
/// Token buckets by partition key, in this process: a key (a SCIM token's id, an enterprise's id, an
/// admin API key's id) may make <c>limit</c> requests per <see cref="RateLimitShape.Period"/> sustained,
/// and a burst of <see cref="RateLimitShape.BurstPeriods"/> periods' worth after a quiet spell. Several
/// Roster instances each keep their own buckets, so N instances let through N times the limit.
/// </summary>
public sealed class RequestRateLimits : IAsyncDisposable
{
    /// <summary>A bucket per key and limit: a changed limit (an admin's override) starts a new bucket
    /// rather than stretching the old one; the old one is dropped once idle.</summary>
    readonly record struct Bucket(string Key, int Limit);

    readonly PartitionedRateLimiter<Bucket> limiter;

    public RequestRateLimits(RateLimitShape shape)
    {
        Shape = shape;
        limiter = PartitionedRateLimiter.Create<Bucket, Bucket>(bucket => RateLimitPartition.GetTokenBucketLimiter(bucket, b =>
            new TokenBucketRateLimiterOptions
            {
                TokensPerPeriod = b.Limit,
                ReplenishmentPeriod = shape.Period,
                TokenLimit = checked(b.Limit * shape.BurstPeriods),
                // Refused at once, never queued: a waiting request holds a connection and the caller
                // (Okta) retries on its own after Retry-After.
                QueueLimit = 0,
                // The partitioned limiter replenishes its buckets from its one timer, not one timer each.
                AutoReplenishment = false,
            }));
    }

    public RateLimitShape Shape { get; }

    /// <summary>Takes one request from <paramref name="partitionKey"/>'s bucket of
    /// <paramref name="limitPerPeriod"/>; 0 or less means no limit.</summary>
    public RateLimitDecision TryAcquire(string partitionKey, int limitPerPeriod)
    {
        if (limitPerPeriod <= 0) return RateLimitDecision.Allowed;
        using var lease = limiter.AttemptAcquire(new Bucket(partitionKey, limitPerPeriod));
        if (lease.IsAcquired) return RateLimitDecision.Allowed;
        // The token bucket says when enough tokens are back; it always does for a refused lease, but
        // a whole period is the honest answer should it not.
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? after : Shape.Period;
        return RateLimitDecision.Refused(retryAfter);
    }

    public ValueTask DisposeAsync() => limiter.DisposeAsync();
}
