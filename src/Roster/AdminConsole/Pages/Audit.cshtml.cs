using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Audit;

namespace Roster.AdminConsole.Pages;

/// <summary>/console/{slug}/audit: the enterprise's admin actions, newest first, who and when; older
/// entries a page at a time, backwards by id (a stable position while new entries arrive).</summary>
public sealed class AuditModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    public const int PageSize = 50;

    /// <summary>Entries older than this id; none: the newest.</summary>
    [FromQuery(Name = "before")] public long? Before { get; set; }

    public IReadOnlyList<AdminAuditEntry> Entries { get; private set; } = [];

    /// <summary>The next page back, when there are older entries.</summary>
    public string? OlderUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        // One more than a page tells whether an older page exists without counting.
        var entries = await directory.Audit.ListAsync(enterprise, PageSize + 1, Before, HttpContext.RequestAborted);
        Entries = entries.Take(PageSize).ToList();
        if (entries.Count > PageSize) OlderUrl = $"{ConsoleUrls.Audit(enterprise.Slug)}?before={Entries[^1].Id}";
        return Page();
    }
}
