namespace Roster.Operations;

/// <summary>How the buckets of <see cref="RequestRateLimits"/> fill: <paramref name="Period"/> is the
/// unit of a limit (a second in production), <paramref name="BurstPeriods"/> how many periods' worth a
/// bucket holds.</summary>
public sealed record RateLimitShape(TimeSpan Period, int BurstPeriods)
{
    /// <summary>Requests per second, with a burst of five seconds' worth.</summary>
    public static RateLimitShape PerSecond { get; } = new(TimeSpan.FromSeconds(1), 5);
}
