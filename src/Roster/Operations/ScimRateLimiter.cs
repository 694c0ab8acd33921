using System.Collections.Concurrent;
using System.Globalization;
using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Directory.Operations;
using Roster.Scim;
using Roster.Scim.Errors;

namespace Roster.Operations;

/// <summary>
/// The SCIM rate limits: per token, then per enterprise (a token over its own limit must not use up
/// its enterprise's room), with each enterprise's own override (<c>roster ratelimit set</c>) else the
/// server's defaults. Past a limit the request is answered 429 with <c>Retry-After</c> and a SCIM
/// Error, and counted in the metrics; nothing is written to the database for it, as a flood of
/// refusals each writing a row would make the overload it answers worse. On PostgreSQL the counts
/// are shared by every instance on the database (<see cref="DeploymentRateLimits"/>).
/// </summary>
internal sealed class ScimRateLimiter(DeploymentRateLimits limits, RosterTelemetry telemetry, RosterDirectory directory, OperationsOptions options)
{
    public const string TokenLimit = "token";
    public const string EnterpriseLimit = "enterprise";

    readonly EnterpriseRateLimits overrides = new(directory.Database, directory.Clock);

    /// <summary>Each enterprise's override and when it was read (Environment.TickCount64): read at most
    /// once per <see cref="OperationsOptions.RateLimitOverrideRefresh"/>, not once per request.</summary>
    readonly ConcurrentDictionary<string, (EnterpriseRateLimit Limit, long ReadAt)> known = new(StringComparer.Ordinal);

    /// <summary>Answers 429 and returns true when the request is over a limit; returns false, having
    /// written nothing, when it may go ahead.</summary>
    public async Task<bool> RefuseAsync(HttpContext http, Enterprise enterprise, string tokenId, CancellationToken cancellationToken)
    {
        var own = await OverrideOfAsync(enterprise.Id, cancellationToken);
        var perToken = own.PerToken ?? options.RateLimitPerToken;
        var perEnterprise = own.PerEnterprise ?? options.RateLimitPerEnterprise;

        var (kind, limit, decision) = (TokenLimit, perToken, await limits.AcquireAsync("scim-token:" + tokenId, perToken, cancellationToken));
        if (decision.IsAllowed) (kind, limit, decision) = (EnterpriseLimit, perEnterprise, await limits.AcquireAsync("scim-enterprise:" + enterprise.Id, perEnterprise, cancellationToken));
        if (decision.IsAllowed) return false;

        telemetry.RateLimited(kind);
        var seconds = decision.RetryAfterSeconds;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var which = kind == TokenLimit
            ? $"this SCIM token's rate limit ({Rate(limit)})"
            : $"the rate limit of enterprise '{enterprise.Slug}' across all its SCIM tokens ({Rate(limit)})";
        await ScimHttp.WriteErrorAsync(http.Response,
            new ScimException(429, null, $"Too many requests: {which} is reached. Retry after {seconds} second(s)."), cancellationToken);
        return true;
    }

    string Rate(int limit) => limits.Shape.Describe(limit);

    async Task<EnterpriseRateLimit> OverrideOfAsync(string enterpriseId, CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        if (known.TryGetValue(enterpriseId, out var entry) && now - entry.ReadAt < options.RateLimitOverrideRefresh.TotalMilliseconds) return entry.Limit;
        var limit = await overrides.GetAsync(enterpriseId, cancellationToken);
        known[enterpriseId] = (limit, now);
        return limit;
    }
}
