using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Provisioning;

namespace Roster.AdminConsole.Pages;

/// <summary>/console/{slug}/log/{id}: one provisioning attempt, all that is known of it: what happened
/// in words and as recorded, the request as sent (secrets removed) and Roster's answer. An id of
/// another enterprise's entry is a 404, like one that does not exist.</summary>
public sealed class LogEntryModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    public ProvisioningEvent? Entry { get; private set; }
    internal LogRow? Row { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, long id)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        Entry = await directory.Log.FindAsync(enterprise, id, HttpContext.RequestAborted);
        if (Entry is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Row = LogRow.From(Entry, enterprise.Slug);
        return Page();
    }

    public static string Duration(int? milliseconds) => milliseconds is { } ms ? $"{ms} ms" : "—";
}
