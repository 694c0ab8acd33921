using Microsoft.AspNetCore.Mvc;
using Roster.Directory;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/{slug}/log/entries?after=ID&amp;…filters: the log's entries newer than ID, as JSON data
/// (never HTML), for the log page's live updates. Owners and admins only, like the page.
/// </summary>
public sealed class LogEntriesModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    const int MaxEntries = 100;

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused)
            return Forbidden ? new JsonResult(new { error = "Only owners and admins of this enterprise may read its provisioning log." }) { StatusCode = 403 } : refused;
        var query = LogQuery.Parse(Request.Query);
        if (query.Errors.Count > 0) return new JsonResult(new { error = string.Join(" ", query.Errors) }) { StatusCode = 400 };
        if (query.After is not { } after) return new JsonResult(new { error = "'after' (the newest entry shown) is required." }) { StatusCode = 400 };

        var enterprise = Viewer!.Enterprise;
        var filter = query.ToFilter(directory.Clock.GetUtcNow()) with { Before = null };
        var entries = await directory.Log.QueryAsync(enterprise, filter, MaxEntries, HttpContext.RequestAborted);
        Response.Headers.CacheControl = "no-store";
        return new JsonResult(new
        {
            entries = entries.Select(e => LogRow.From(e, enterprise.Slug)).Select(r => new
            {
                id = r.Id, time = r.Time, idp = r.Idp, operation = r.Operation, target = r.Target, targetUrl = r.TargetUrl,
                outcome = r.Outcome, status = r.Status, words = r.Words, entryUrl = r.EntryUrl,
            }),
            // The newest id seen, to ask after next time; unchanged when nothing is new.
            newest = entries.Count > 0 ? entries[0].Id : after,
        });
    }
}
