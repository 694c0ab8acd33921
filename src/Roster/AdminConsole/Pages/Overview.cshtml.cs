using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Enterprises;

namespace Roster.AdminConsole.Pages;

/// <summary>/console/{slug}: an enterprise at a glance, read from the directory as it is now.</summary>
public sealed class OverviewModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    public EnterpriseSummary? Summary { get; private set; }
    public ScimStatus? Status { get; private set; }
    public long FailuresLast24Hours { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        var cancellationToken = HttpContext.RequestAborted;
        Summary = await directory.Enterprises.SummarizeAsync(enterprise, cancellationToken);
        Status = await directory.ScimActivation.StatusAsync(enterprise, cancellationToken);
        FailuresLast24Hours = await directory.Log.CountFailedSinceAsync(enterprise, directory.Clock.GetUtcNow() - TimeSpan.FromHours(24), cancellationToken);
        return Page();
    }

    /// <summary>A time as the console shows it: UTC, to the minute.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
