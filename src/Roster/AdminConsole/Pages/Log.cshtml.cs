using Microsoft.AspNetCore.Mvc;
using Roster.Directory;

namespace Roster.AdminConsole.Pages;

/// <summary>/console/{slug}/log: every provisioning attempt, newest first, filtered by outcome,
/// operation, member and time, paged backwards by id; the newest page takes new entries live.</summary>
public sealed class LogModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    public const int PageSize = 50;

    internal LogQuery Query { get; private set; } = LogQuery.Parse(new QueryCollection());
    internal List<LogRow> Rows { get; } = [];

    /// <summary>The id to page back from ("Older"), when there are older entries.</summary>
    public long? OlderThan { get; private set; }

    /// <summary>The newest page takes new entries as they come; an older page stays as it is.</summary>
    public bool Live => Query.Before is null;

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        Query = LogQuery.Parse(Request.Query);
        // Paging backwards only: a stray "after" in the address would make the page a slice in the middle.
        var filter = Query.ToFilter(directory.Clock.GetUtcNow()) with { After = null };
        var entries = await directory.Log.QueryAsync(enterprise, filter, PageSize + 1, HttpContext.RequestAborted);
        if (entries.Count > PageSize)
        {
            entries.RemoveAt(PageSize);
            OlderThan = entries[^1].Id;
        }
        Rows.AddRange(entries.Select(e => LogRow.From(e, enterprise.Slug)));
        return Page();
    }

    /// <summary>Where live updates are read: the same filters, entries after the newest shown.</summary>
    public string EntriesUrl => Query.With(ConsoleUrls.Log(Viewer!.Enterprise.Slug) + "/entries", "after", (Rows.Count > 0 ? Rows[0].Id : 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
