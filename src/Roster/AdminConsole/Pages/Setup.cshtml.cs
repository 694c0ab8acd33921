using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Roster.Directory;
using Roster.Directory.AdminConsole;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/setup?token=…: a one-time link. An owner's link sets their password; the first-run link
/// (printed by <c>roster serve</c> while nobody owns anything) names the organisation and its first
/// owner too. Either way the person is then signed in. The token stays in the address the form posts
/// back to and is never written into the page; a used or expired link says so, and nothing more.
/// </summary>
public sealed class SetupModel(RosterDirectory directory) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? OrganisationName { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }

    public SetupLinkPurpose? Link { get; private set; }
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync() => await FindLinkAsync() ? Page() : Gone();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await FindLinkAsync()) return Gone();
        var link = Link!;
        if (link.IsFirstRun)
        {
            if (string.IsNullOrWhiteSpace(OrganisationName)) Errors[nameof(OrganisationName)] = "Enter your organisation's name.";
            else if (OrganisationName.Trim().Length > 200) Errors[nameof(OrganisationName)] = "Use at most 200 characters.";
            if (string.IsNullOrWhiteSpace(Email)) Errors[nameof(Email)] = "Enter your email address.";
        }
        if (PasswordHasher.Weakness(Password) is { } weakness) Errors[nameof(Password)] = weakness;
        else if (!string.Equals(Password, ConfirmPassword, StringComparison.Ordinal)) Errors[nameof(ConfirmPassword)] = "The two passwords are not the same.";
        if (Errors.Count > 0) return Refused();

        var hash = PasswordHasher.Hash(Password!);
        CompletedSetup? completed;
        try
        {
            completed = link.IsFirstRun
                ? await directory.SetupLinks.CompleteFirstRunAsync(Token!, OrganisationName!, Email!, DisplayName, hash, HttpContext.RequestAborted)
                : await directory.SetupLinks.CompleteOwnerAsync(Token!, hash, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            Errors[nameof(Email)] = e.Message;
            return Refused();
        }
        if (completed is null) return Gone();
        ConsoleCookie.Append(Response, completed.Session);
        Response.Headers.Location = ConsoleUrls.Overview(completed.Enterprise.Slug);
        return StatusCode(StatusCodes.Status303SeeOther);
    }

    public string? ErrorOf(string field) => Errors.GetValueOrDefault(field);

    async Task<bool> FindLinkAsync()
    {
        Link = string.IsNullOrEmpty(Token) || Token.Length > 200 ? null : await directory.SetupLinks.FindUsableAsync(Token, HttpContext.RequestAborted);
        return Link is not null;
    }

    IActionResult Refused()
    {
        Password = ConfirmPassword = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    IActionResult Gone()
    {
        Link = null;
        Response.StatusCode = StatusCodes.Status410Gone;
        return Page();
    }
}
