namespace Roster.Operations;

/// <summary>How the buckets of <see cref="RequestRateLimits"/> fill: <paramref name="Period"/> is the
/// unit of a limit (a second in production), <paramref name="BurstPeriods"/> how many periods' worth a
/// bucket holds.</summary>
public sealed record RateLimitShape(TimeSpan Period, int BurstPeriods)
{
    /// <summary>Requests per second, with a burst of five seconds' worth.</summary>
    public static RateLimitShape PerSecond { get; } = new(TimeSpan.FromSeconds(1), 5);

    /// <summary>"200 requests per second": a limit in words, for a 429's detail.</summary>
    public string Describe(int limit)
    {
        var unit = Period == TimeSpan.FromSeconds(1) ? "second"
            : Period == TimeSpan.FromMinutes(1) ? "minute"
            : Period == TimeSpan.FromHours(1) ? "hour"
            : $"{Period.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} seconds";
        return $"{limit.ToString(System.Globalization.CultureInfo.InvariantCulture)} {(limit == 1 ? "request" : "requests")} per {unit}";
    }
}
