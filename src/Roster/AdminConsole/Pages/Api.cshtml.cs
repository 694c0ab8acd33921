using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Api;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/{slug}/api (API keys): the enterprise's admin API keys, created here with a name and an
/// optional expiry day and shown once, listed without the key (name, created, last used, expires,
/// status), revoked. Every change is audited, as `roster apikey` does.
/// </summary>
public sealed class ApiModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    [BindProperty(Name = "name")] public string? KeyName { get; set; }

    /// <summary>Text, so that a bad date gets this page's own message rather than a binding error.</summary>
    [BindProperty(Name = "expires")] public string? Expires { get; set; }

    [FromQuery(Name = "done")] public string? Done { get; set; }

    public IReadOnlyList<AdminApiKey> Keys { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    /// <summary>The key just created: rendered in this one response and never again.</summary>
    public IssuedAdminApiKey? NewKey { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        try
        {
            NewKey = await directory.ApiKeys.CreateAsync(Viewer!.Enterprise, KeyName, ParseExpiry(), Actor, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            return await RefusedAsync(e);
        }
        // The key is in this response only: no redirect (it would have to carry it), and nothing may keep the page.
        Response.Headers.CacheControl = "no-store";
        KeyName = null;
        Expires = null;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string slug, [FromForm(Name = "id")] string? keyId)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        try
        {
            if (string.IsNullOrWhiteSpace(keyId) || keyId.Length > 100 || keyId.Any(char.IsControl)) throw new RosterException("Say which key to revoke.");
            await directory.ApiKeys.RevokeAsync(Viewer!.Enterprise, keyId, Actor, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            return await RefusedAsync(e);
        }
        return SeeOther(ConsoleUrls.Api(Viewer.Enterprise.Slug) + "?done=revoked");
    }

    DateTimeOffset? ParseExpiry()
    {
        if (string.IsNullOrWhiteSpace(Expires)) return null;
        return DateTime.TryParseExact(Expires.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
            ? new DateTimeOffset(day, TimeSpan.Zero)
            : throw new RosterException($"The expiry is a day like 2027-01-31 (the key stops working at its start, UTC), or empty for a key that does not expire.");
    }

    async Task<IActionResult> RefusedAsync(RosterException e)
    {
        Error = e.Message;
        await LoadAsync();
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    async Task LoadAsync()
    {
        Now = directory.Clock.GetUtcNow();
        // Newest first: the key just made, or the one to revoke, is usually the latest.
        Keys = (await directory.ApiKeys.ListAsync(Viewer!.Enterprise, HttpContext.RequestAborted))
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).ToList();
    }
}
