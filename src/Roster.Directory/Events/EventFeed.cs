using System.Data.Common;
using System.Text.Json.Nodes;
using Roster.Directory.Enterprises;
using Roster.Directory.Storage;

namespace Roster.Directory.Events;

/// <summary>A page of an enterprise's events after a cursor, and the cursor to ask from next (the last
/// event's, or the one asked from when there is nothing new).</summary>
public sealed record EventPage(IReadOnlyList<DirectoryEvent> Events, long NextCursor);

/// <summary>
/// An enterprise's events in cursor order, for the pull API and the webhook dispatcher. Cursors have
/// no gaps and commit in order (see migration 0016), so a consumer that asks again from the last
/// cursor it processed misses nothing and sees nothing twice.
/// </summary>
public sealed class EventFeed(RosterDatabase database)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <exception cref="RosterException">A negative cursor or a limit outside 1..<see cref="MaxLimit"/>.</exception>
    public Task<EventPage> ReadAsync(Enterprise enterprise, long after, int limit = DefaultLimit, CancellationToken cancellationToken = default)
    {
        if (after < 0) throw new RosterException("The cursor is a number from an earlier page (0 for the first event).");
        if (limit is < 1 or > MaxLimit) throw new RosterException($"limit is 1 to {MaxLimit}, not {limit}.");
        return database.ReadAsync(async connection =>
        {
            var events = await connection.Command(
                    "SELECT seq, id, type, occurred_at, subject_type, subject_id, data FROM events WHERE enterprise_id = @e AND seq > @after ORDER BY seq LIMIT @limit")
                .With("@e", enterprise.Id).With("@after", after).With("@limit", limit)
                .ListAsync(r => new DirectoryEvent(r.GetInt64(0), r.GetString(1), enterprise.Id, r.GetString(2), r.Time(3), r.GetString(4), r.GetString(5),
                    JsonNode.Parse(r.GetString(6)) as JsonObject ?? new JsonObject()), cancellationToken);
            return new EventPage(events, events.Count > 0 ? events[^1].Cursor : after);
        }, cancellationToken);
    }

    /// <summary>The enterprise's latest cursor (0 before its first event): where a new consumer that
    /// wants only what happens from now on starts.</summary>
    public Task<long> LatestCursorAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => LatestCursorAsync(connection, null, enterprise.Id, cancellationToken), cancellationToken);

    /// <summary>The same, in the caller's transaction: the counter, which holds the last cursor handed
    /// out by a committed change.</summary>
    internal static Task<long> LatestCursorAsync(DbConnection connection, DbTransaction? transaction, string enterpriseId, CancellationToken cancellationToken) =>
        connection.Command("SELECT COALESCE(MAX(last_seq), 0) FROM event_counters WHERE enterprise_id = @e", transaction)
            .With("@e", enterpriseId).ScalarLongAsync(cancellationToken);
}
