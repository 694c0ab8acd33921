namespace Roster.Operations;

/// <summary>Whether a request may go ahead, and if not, after how long it may be tried again.</summary>
public readonly record struct RateLimitDecision(bool IsAllowed, TimeSpan RetryAfter)
{
    public static RateLimitDecision Allowed => new(true, TimeSpan.Zero);

    public static RateLimitDecision Refused(TimeSpan retryAfter) => new(false, retryAfter);

    /// <summary>The value of a <c>Retry-After</c> header: whole seconds, rounded up, at least 1.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}
