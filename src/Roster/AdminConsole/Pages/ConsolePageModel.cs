using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// A console page of one enterprise, or of whoever is signed in: not signed in, the browser goes to the
/// sign-in page and comes back; signed in but not an owner or admin of that enterprise, the page is a
/// 403 that reads the same whether the enterprise exists or not.
/// </summary>
public abstract class ConsolePageModel(ConsoleAccess access) : PageModel
{
    public ConsoleViewer? Viewer { get; private set; }

    /// <summary>The viewer as the audit log names them, for the changes they make (after <see cref="AuthorizeAsync"/>).</summary>
    protected Roster.Directory.Audit.AuditActor Actor => Viewer switch
    {
        null => throw new InvalidOperationException("Only an authorized viewer acts."),
        // The sign-in name, which identifies them; a display name alone may be shared or changed.
        { IsOwnerAccount: true } owner => Roster.Directory.Audit.AuditActor.OwnerAccount(owner.Account),
        var member => Roster.Directory.Audit.AuditActor.Member(member.Account, member.Role),
    };

    /// <summary>The page is the 403 refusal instead of its content.</summary>
    public bool Forbidden { get; private set; }

    /// <summary>The viewer of <paramref name="slug"/>'s console (or, without a slug, the first viewer who
    /// administers some enterprise); otherwise the result to answer with.</summary>
    protected async Task<IActionResult?> AuthorizeAsync(string? slug)
    {
        var viewers = await access.ViewersAsync(HttpContext);
        if (viewers.Count == 0) return Redirect(ConsoleUrls.SignIn + "?returnUrl=" + Uri.EscapeDataString(Request.Path.Value ?? ConsoleUrls.Root));
        Viewer = viewers.FirstOrDefault(v => v.MayAdminister && (slug is null || string.Equals(v.Enterprise.Slug, slug, StringComparison.OrdinalIgnoreCase)));
        ViewData["Viewer"] = Viewer ?? viewers[0];
        if (Viewer is not null)
        {
            ViewData["Enterprise"] = Viewer.Enterprise;
            return null;
        }
        Forbidden = true;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    /// <summary>A 303: after a form's POST, the browser GETs the next page.</summary>
    protected IActionResult SeeOther(string location)
    {
        Response.Headers.Location = location;
        return StatusCode(StatusCodes.Status303SeeOther);
    }
}
