using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Events;

namespace Roster.AdminApi;

/// <summary>
/// The event feed: every change to the enterprise's members, groups, memberships and roles, in cursor
/// order, from a cursor the consumer keeps. Restarting from the last cursor stored misses nothing and
/// repeats nothing (docs/webhooks.md).
/// </summary>
public static class EventEndpoints
{
    /// <param name="Events">The events, each as webhooks deliver it: id, type, cursor, occurredAt, enterpriseId, subject, data.</param>
    /// <param name="NextCursor">Ask from here next: the last event's cursor, or the one asked from when nothing is new.</param>
    public sealed record EventPageResponse(IReadOnlyList<JsonObject> Events, string NextCursor);

    public static void Map(RouteGroupBuilder enterprise)
    {
        enterprise.MapGet("/events", ReadAsync)
            .WithName("ListEvents")
            .WithSummary("The events after a cursor, oldest first: after (0 for the first event), limit 1-1000 (default 100); store nextCursor and ask from it.")
            .WithQuery(new("after", "The cursor of the last event processed; 0 (the default) for the first.", IsInteger: true),
                new("limit", $"Events a page, 1-{EventFeed.MaxLimit} (default {EventFeed.DefaultLimit}).", IsInteger: true))
            .Produces<EventPageResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
    }

    static async Task<IResult> ReadAsync(HttpContext context, RosterDirectory directory)
    {
        var after = context.QueryNumber("after", 0, long.MaxValue, 0);
        var limit = (int)context.QueryNumber("limit", 1, EventFeed.MaxLimit, EventFeed.DefaultLimit);
        var page = await directory.Events.ReadAsync(context.ApiCaller().Enterprise, after, limit, context.RequestAborted);
        return TypedResults.Ok(new EventPageResponse(page.Events.Select(e => e.ToJson()).ToList(), page.NextCursor.ToString(CultureInfo.InvariantCulture)));
    }
}
