using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Roster.Directory;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/sign-in: single sign-on through the organisation's identity provider (a link to its SAML
/// sign-in, which comes back to the console), or an owner's break-glass password. Every refusal of a
/// password reads the same, whether or not the organisation or the email exists.
/// </summary>
public sealed class SignInModel(RosterDirectory directory) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "enterprise")] public string? Enterprise { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }

    public string? Error { get; private set; }

    /// <summary>The organisation the page is about: as typed, or from the console page being returned to.</summary>
    public string? Slug => !string.IsNullOrWhiteSpace(Enterprise) ? Enterprise.Trim().ToLowerInvariant() : SlugOf(ReturnUrl);

    /// <summary>Where single sign-on starts: the SAML sign-in, asked to come back to the console.</summary>
    public string? SingleSignOnUrl => Slug is { } slug && IsSlug(slug)
        ? $"/saml/{slug}/login?returnUrl={Uri.EscapeDataString(ReturnPathFor(slug))}"
        : null;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Enterprise) || string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            Error = "Enter your organisation, email and password.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var result = await directory.PasswordSignIn.SignInAsync(Enterprise, Email, Password, ConsoleHosting.ClientAddress(HttpContext), HttpContext.RequestAborted);
        Password = null;
        if (result.RetryAt is { } retryAt)
        {
            // Rounded up to the minute, so that "try again at" is never too early.
            var at = new DateTimeOffset(retryAt.UtcTicks + TimeSpan.TicksPerMinute - 1 - (retryAt.UtcTicks + TimeSpan.TicksPerMinute - 1) % TimeSpan.TicksPerMinute, TimeSpan.Zero);
            Error = $"Too many failed sign-ins. Try again at {at.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        if (result.SignedIn is not { } signedIn)
        {
            Error = "The organisation, email or password is not right.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        ConsoleCookie.Append(Response, signedIn.Session);
        Response.Headers.Location = ReturnPathFor(signedIn.Enterprise.Slug);
        return StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>The console page to land on: the one asked for when it is this organisation's, else its overview.</summary>
    string ReturnPathFor(string slug) =>
        ConsoleUrls.IsReturnPath(ReturnUrl) && SlugOf(ReturnUrl) == slug ? ReturnUrl! : ConsoleUrls.Overview(slug);

    static string? SlugOf(string? path)
    {
        if (!ConsoleUrls.IsReturnPath(path)) return null;
        var segments = path![ConsoleUrls.Root.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length > 0 && IsSlug(segments[0]) && segments[0] is not ("sign-in" or "sign-out" or "setup" or "assets") ? segments[0] : null;
    }

    static bool IsSlug(string value) => value.Length is > 0 and <= 63 && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
