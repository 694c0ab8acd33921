using Microsoft.AspNetCore.Mvc;

namespace Roster.AdminConsole.Pages;

/// <summary>/console: the overview of the enterprise the viewer administers.</summary>
public sealed class IndexModel(ConsoleAccess access) : ConsolePageModel(access)
{
    public async Task<IActionResult> OnGetAsync() =>
        await AuthorizeAsync(slug: null) ?? Redirect(ConsoleUrls.Overview(Viewer!.Enterprise.Slug));
}
