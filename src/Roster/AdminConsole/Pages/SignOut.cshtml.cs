using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Roster.Directory;
using Roster.Hosting;

namespace Roster.AdminConsole.Pages;

/// <summary>/console/sign-out: ends the owner account's console session and the member's SAML session
/// this browser holds, whichever it holds. A POST (with its antiforgery token): no other site can sign
/// someone out, and a GET shows the button.</summary>
public sealed class SignOutModel(RosterDirectory directory) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (ConsoleCookie.Read(Request) is { } consoleSecret) await directory.ConsoleSessions.EndAsync(consoleSecret, HttpContext.RequestAborted);
        if (SessionCookie.Read(Request) is { } memberSecret) await directory.Sessions.EndAsync(memberSecret, "signed out", HttpContext.RequestAborted);
        ConsoleCookie.Delete(Response);
        SessionCookie.Delete(Response);
        Response.Headers.Location = ConsoleUrls.SignIn;
        return StatusCode(StatusCodes.Status303SeeOther);
    }
}
