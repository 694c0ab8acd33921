namespace Roster.Operations;

/// <summary>How a Roster server is run, beyond what it serves: its SCIM rate limits, its log format,
/// and how long its readiness probe waits for the database.</summary>
public sealed record OperationsOptions
{
    /// <summary>Okta sends at most about 100 requests per second per app, and Entra ID far fewer: 200
    /// per token leaves an import twice that room, so only a runaway client meets the limit.</summary>
    public const int DefaultPerToken = 200;

    /// <summary>Room for two IdP apps of one enterprise importing at full speed together, plus a script.</summary>
    public const int DefaultPerEnterprise = 500;

    /// <summary>What <c>roster serve</c> runs with when given no options.</summary>
    public static OperationsOptions Default { get; } = new();

    /// <summary>No server-wide rate limits (an enterprise's own still apply): what a server started in
    /// code without options gets, so that benchmarks measure Roster rather than its limits.</summary>
    public static OperationsOptions Unlimited { get; } = new() { RateLimitPerToken = 0, RateLimitPerEnterprise = 0 };

    /// <summary>Requests per <see cref="RateLimitShape"/> period one SCIM token may make; 0: no limit.</summary>
    public int RateLimitPerToken { get; init; } = DefaultPerToken;

    /// <summary>Requests per period all of an enterprise's SCIM tokens together may make; 0: no limit.</summary>
    public int RateLimitPerEnterprise { get; init; } = DefaultPerEnterprise;

    /// <summary>The unit of the limits and the burst: a second, five seconds' worth. Tests use a longer
    /// period so that "the fourth request is refused" holds however slow the machine.</summary>
    public RateLimitShape RateLimitShape { get; init; } = RateLimitShape.PerSecond;

    /// <summary>How long an enterprise's own limits (<c>roster ratelimit set</c>) are kept before they
    /// are read again: a change reaches running servers within this time.</summary>
    public TimeSpan RateLimitOverrideRefresh { get; init; } = TimeSpan.FromSeconds(30);

    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>How long <c>/readyz</c> waits for the database before it answers 503.</summary>
    public TimeSpan ReadinessTimeout { get; init; } = TimeSpan.FromSeconds(3);
}
