using Roster.Operations;

namespace Roster.Tests.Operations;

/// <summary>The limiter shared by SCIM and the admin API: a bucket per key holds limit × burst
/// requests, a refusal says when to retry, keys do not share, and a changed limit is a new bucket.</summary>
public sealed class RequestRateLimitsTests
{
    [Fact]
    public async Task A_key_gets_its_limit_times_the_burst_then_a_refusal_with_when_to_retry()
    {
        await using var limits = new RequestRateLimits(new RateLimitShape(TimeSpan.FromHours(1), BurstPeriods: 2));

        for (var i = 0; i < 6; i++) Assert.True(limits.TryAcquire("api-key:1", 3).IsAllowed, $"request {i + 1}");
        var refused = limits.TryAcquire("api-key:1", 3);

        Assert.False(refused.IsAllowed);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromTicks(1), TimeSpan.FromHours(1));
        Assert.InRange(refused.RetryAfterSeconds, 1, 3600);
        Assert.True(limits.TryAcquire("api-key:2", 3).IsAllowed);
        // An admin's new limit starts a bucket of its own.
        Assert.True(limits.TryAcquire("api-key:1", 4).IsAllowed);
        // 0: no limit at all.
        for (var i = 0; i < 100; i++) Assert.True(limits.TryAcquire("api-key:3", 0).IsAllowed);
    }

    [Fact]
    public void Retry_After_is_whole_seconds_rounded_up_and_never_0()
    {
        Assert.Equal(1, RateLimitDecision.Refused(TimeSpan.FromMilliseconds(10)).RetryAfterSeconds);
        Assert.Equal(1, RateLimitDecision.Refused(TimeSpan.Zero).RetryAfterSeconds);
        Assert.Equal(3, RateLimitDecision.Refused(TimeSpan.FromSeconds(2.2)).RetryAfterSeconds);
    }
}
