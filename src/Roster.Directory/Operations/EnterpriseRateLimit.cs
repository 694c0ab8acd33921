namespace Roster.Directory.Operations;

/// <summary>An enterprise's own SCIM rate limits, in requests per second: null keeps the server's
/// default for that limit.</summary>
/// <param name="UpdatedAt">When it was last set; null while the enterprise has the server's defaults.</param>
public sealed record EnterpriseRateLimit(int? PerToken, int? PerEnterprise, DateTimeOffset? UpdatedAt)
{
    /// <summary>The highest limit one can set: far above what one Roster instance serves, so a typo
    /// of an extra digit is caught rather than taken as "unlimited".</summary>
    public const int MaxPerSecond = 100_000;

    public static EnterpriseRateLimit Default { get; } = new(null, null, null);
}
