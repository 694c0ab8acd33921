using Roster.AdminConsole;
using Roster.Directory;
using Roster.Directory.Provisioning;

namespace Roster.AdminApi;

/// <summary>The provisioning log: every SCIM request and what it did, newest first, with the console's
/// filters (outcome, operation, member, time) and paging backwards by entry id.</summary>
public static class ProvisioningLogEndpoints
{
    public const int MaxPageSize = 500;

    public sealed record LogEntry(
        long Id, DateTime Time, string Operation, string Method, string Path, string? ResourceType, string? TargetId, string? Target,
        string Outcome, string? Effect, int Status, string? ScimType, string? Reason, string? Client, string? TokenId, int? DurationMs, string? RequestId);

    /// <param name="NextBefore">Pass as <c>before</c> (with the same filters) for older entries; null when none remain.</param>
    public sealed record LogPage(IReadOnlyList<LogEntry> Entries, long? NextBefore);

    public static void Map(RouteGroupBuilder enterprise)
    {
        enterprise.MapGet("/provisioning-log", ListAsync)
            .WithName("ListProvisioningLog")
            .WithSummary("Provisioning log entries, newest first: outcome (failed, succeeded), operation, member (id or userName), " +
                         "from and to (ISO 8601 UTC, to exclusive), before (entry id) to page back; limit 1-500 (default 50).")
            .WithQuery(new("outcome", "failed or succeeded."), new("operation", "create, replace, patch, delete, get, list, search, bulk, discovery, jit, unknown, unsupported."),
                new("member", "A member's or group's id, or a live member's userName or group's displayName."),
                new("from", "ISO 8601 UTC time: entries at or after it."), new("to", "ISO 8601 UTC time: entries before it."),
                new("before", "The nextBefore of the previous page: older entries.", IsInteger: true), new("limit", "Entries a page, 1-500 (default 50).", IsInteger: true))
            .Produces<LogPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
    }

    static async Task<IResult> ListAsync(HttpContext context, RosterDirectory directory)
    {
        var filter = new ProvisioningLogFilter
        {
            Outcome = context.QueryChoice("outcome", [ProvisioningEvent.Failed, ProvisioningEvent.Succeeded]),
            Operation = context.QueryChoice("operation", LogQuery.Operations.Select(o => o.Value).ToList()),
            Target = context.QueryText("member", 200)?.Trim(),
            From = context.QueryTime("from"),
            To = context.QueryTime("to"),
            Before = context.QueryNumber("before", 1, long.MaxValue),
        };
        var limit = (int)context.QueryNumber("limit", 1, MaxPageSize, 50);
        var entries = await directory.Log.QueryAsync(context.ApiCaller().Enterprise, filter, limit + 1, context.RequestAborted);
        long? nextBefore = null;
        if (entries.Count > limit)
        {
            entries.RemoveAt(entries.Count - 1);
            nextBefore = entries[^1].Id;
        }
        return TypedResults.Ok(new LogPage(entries.Select(Entry).ToList(), nextBefore));
    }

    internal static LogEntry Entry(ProvisioningEvent e) => new(
        e.Id, ApiRequest.Utc(e.OccurredAt), e.Operation, e.Method, e.Path, e.ResourceType, e.TargetId, e.TargetName, e.Outcome, e.Effect,
        e.HttpStatus, e.ScimType, e.Reason, e.Client, e.TokenId, e.DurationMs, e.RequestId);
}
