using System.Globalization;
using Roster.Directory;
using Roster.Directory.Operations;
using Roster.Directory.Storage;

namespace Roster.Operations;

/// <summary>
/// Rate-limit counts for the whole deployment. On PostgreSQL, where several instances may serve one
/// enterprise, they are the database's (<see cref="SharedRateLimitCounters"/>: a window of the shape's
/// burst, holding its burst's worth), so that N instances let a limit through once, not N times; on
/// SQLite, one server per file, they are the process's token buckets (<see cref="RequestRateLimits"/>).
/// The limit is part of the key: an admin's new limit starts a new count.
/// </summary>
public sealed class DeploymentRateLimits(RequestRateLimits local, RosterDirectory directory)
{
    readonly SharedRateLimitCounters? shared =
        directory.Database.Dialect is PostgresDialect ? new(directory.Database, directory.Clock) : null;

    public RateLimitShape Shape => local.Shape;

    /// <summary>Takes one request from <paramref name="key"/>'s count under <paramref name="limitPerPeriod"/>; 0 or less means no limit.</summary>
    public async Task<RateLimitDecision> AcquireAsync(string key, int limitPerPeriod, CancellationToken cancellationToken)
    {
        if (shared is null || limitPerPeriod <= 0) return local.TryAcquire(key, limitPerPeriod);
        var wait = await shared.TryAcquireAsync(key + ":" + limitPerPeriod.ToString(CultureInfo.InvariantCulture),
            checked(limitPerPeriod * Shape.BurstPeriods), Shape.Period * Shape.BurstPeriods, cancellationToken);
        return wait is { } retryAfter ? RateLimitDecision.Refused(retryAfter) : RateLimitDecision.Allowed;
    }
}
