namespace Roster.Directory.Webhooks;

/// <summary>
/// When a failed delivery is tried again: exponential backoff from <see cref="FirstDelay"/>, doubling
/// up to <see cref="MaxDelay"/>, each delay scattered by ±20% (so that the deliveries an outage failed
/// together do not all return at the same instant), until <see cref="GiveUpAfter"/> has passed since
/// the delivery was queued (or resent).
/// </summary>
public static class RetrySchedule
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    /// <summary>The delay after the <paramref name="attempt"/>-th failed attempt (1 for the first).</summary>
    /// <param name="jitter">A number in [0, 1) (Random.Shared.NextDouble(), or fixed in tests).</param>
    public static TimeSpan DelayAfter(int attempt, double jitter)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 20);
        var delay = Math.Min(FirstDelay.TotalSeconds * Math.Pow(2, exponent), MaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(delay * (0.8 + 0.4 * jitter));
    }

    /// <summary>When to try again, or null to give up.</summary>
    public static DateTimeOffset? NextAttempt(int attemptsMade, DateTimeOffset retrySince, DateTimeOffset now, double jitter)
    {
        var next = now + DelayAfter(attemptsMade, jitter);
        return next - retrySince > GiveUpAfter ? null : next;
    }
}
