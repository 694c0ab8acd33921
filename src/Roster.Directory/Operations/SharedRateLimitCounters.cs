using Roster.Directory.Storage;

namespace Roster.Directory.Operations;

/// <summary>
/// Rate-limit counters in the database, shared by every Roster instance on it: a key may make
/// <c>capacity</c> requests in a fixed window of <c>window</c> that starts with its first request
/// after the last window ended. One statement per request, and a refused request writes nothing
/// (the upsert's WHERE leaves the row as it is): a flood of refusals does not turn into a flood of
/// writes. Meant for PostgreSQL, where several instances meet; one SQLite server counts in its process.
/// </summary>
public sealed class SharedRateLimitCounters(RosterDatabase database, TimeProvider clock)
{
    /// <summary>Rows of windows that ended this long ago are deleted, at most once per this interval.</summary>
    static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    long nextSweep;

    /// <summary>Counts one request of <paramref name="key"/>: null when it may go ahead, else how
    /// long until its window ends.</summary>
    public async Task<TimeSpan?> TryAcquireAsync(string key, int capacity, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await SweepAsync(now, cancellationToken);
        return await database.ReadAsync(async connection =>
        {
            var counted = await connection.Command(
                    "INSERT INTO rate_limit_counters (limit_key, window_start, window_end, hits) VALUES (@k, @now, @end, 1) " +
                    "ON CONFLICT (limit_key) DO UPDATE SET " +
                    "window_start = CASE WHEN rate_limit_counters.window_end <= @now THEN @now ELSE rate_limit_counters.window_start END, " +
                    "window_end = CASE WHEN rate_limit_counters.window_end <= @now THEN @end ELSE rate_limit_counters.window_end END, " +
                    "hits = CASE WHEN rate_limit_counters.window_end <= @now THEN 1 ELSE rate_limit_counters.hits + 1 END " +
                    "WHERE rate_limit_counters.window_end <= @now OR rate_limit_counters.hits < @capacity " +
                    "RETURNING hits")
                .With("@k", key).With("@now", now.ToDb()).With("@end", (now + window).ToDb()).With("@capacity", capacity)
                .ListAsync(r => r.GetInt32(0), cancellationToken);
            if (counted.Count > 0) return (TimeSpan?)null;
            var windowEnd = await connection.Command("SELECT window_end FROM rate_limit_counters WHERE limit_key = @k").With("@k", key)
                .ScalarLongAsync(cancellationToken);
            return TimeSpan.FromMilliseconds(Math.Max(0, windowEnd - now.ToDb()));
        }, cancellationToken);
    }

    async Task SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = Interlocked.Read(ref nextSweep);
        if (now.ToDb() < due || Interlocked.CompareExchange(ref nextSweep, (now + SweepInterval).ToDb(), due) != due) return;
        await database.ReadAsync(c => c.Command("DELETE FROM rate_limit_counters WHERE window_end < @old")
            .With("@old", (now - SweepInterval).ToDb()).ExecuteAsync(cancellationToken), cancellationToken);
    }
}
