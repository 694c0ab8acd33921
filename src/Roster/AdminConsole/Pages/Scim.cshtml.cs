using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Directory.Tokens;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/{slug}/scim (Provisioning): SCIM on or off (on only once SAML sign-in works, by
/// <see cref="ScimActivation"/>'s rule), the SCIM base URL to copy into the IdP, and the bearer tokens:
/// created here and shown once, listed without their secrets, revoked; and the deprovisioning policy
/// (what a deactivation or a DELETE from the IdP does). Every change is audited.
/// </summary>
public sealed class ScimModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    public const int MaxExpiryDays = 3650;

    /// <summary>The new token's name; the form's field is "name".</summary>
    [BindProperty(Name = "name")] public string? TokenName { get; set; }

    /// <summary>Text, not a number, so that "abc" gets this page's own message rather than a binding error.</summary>
    [BindProperty(Name = "expiresInDays")] public string? ExpiresInDays { get; set; }

    /// <summary>The policy form's fields, as text so that a bad value gets the store's own message.</summary>
    [BindProperty(Name = "onDeactivate")] public string? OnDeactivate { get; set; }
    [BindProperty(Name = "onDelete")] public string? OnDelete { get; set; }
    [BindProperty(Name = "graceDays")] public string? GraceDays { get; set; }

    /// <summary>What the last POST did, after its redirect: enabled, disabled, revoked or policy.</summary>
    [FromQuery(Name = "done")] public string? Done { get; set; }

    public ScimStatus? Status { get; private set; }
    public IReadOnlyList<ScimToken> Tokens { get; private set; } = [];
    public string? BaseUrl { get; private set; }
    public string? BaseUrlError { get; private set; }
    public DateTimeOffset Now { get; private set; }

    /// <summary>The token just created: rendered in this one response and never again.</summary>
    public IssuedScimToken? NewToken { get; private set; }

    /// <summary>Why SCIM could not be turned on.</summary>
    public string? EnableError { get; private set; }

    /// <summary>Why a token could not be created or revoked.</summary>
    public string? TokenError { get; private set; }

    public DeprovisioningPolicy? Policy { get; private set; }

    /// <summary>Why the deprovisioning policy could not be changed.</summary>
    public string? PolicyError { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        try
        {
            await directory.ScimActivation.EnableAsync(Viewer!.Enterprise, Actor, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            EnableError = e.Message;
            return await PageWithStatusAsync(StatusCodes.Status409Conflict);
        }
        return SeeOther(ConsoleUrls.Scim(Viewer.Enterprise.Slug) + "?done=enabled");
    }

    public async Task<IActionResult> OnPostDisableAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        await directory.ScimActivation.DisableAsync(Viewer!.Enterprise, Actor, HttpContext.RequestAborted);
        return SeeOther(ConsoleUrls.Scim(Viewer.Enterprise.Slug) + "?done=disabled");
    }

    public async Task<IActionResult> OnPostCreateAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        try
        {
            var expiresAt = ParseExpiry();
            NewToken = await directory.Tokens.CreateAsync(Viewer!.Enterprise, TokenName, expiresAt, Actor, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            TokenError = e.Message;
            return await PageWithStatusAsync(StatusCodes.Status400BadRequest);
        }
        // The secret is in this response only: no redirect (it would have to carry it), and nothing
        // may keep the page, so that Back or a reload cannot show it again.
        Response.Headers.CacheControl = "no-store";
        TokenName = null;
        ExpiresInDays = null;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string slug, [FromForm(Name = "id")] string? tokenId)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        try
        {
            if (string.IsNullOrWhiteSpace(tokenId)) throw new RosterException("Say which token to revoke.");
            await directory.Tokens.RevokeAsync(Viewer!.Enterprise, tokenId, Actor, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            TokenError = e.Message;
            return await PageWithStatusAsync(StatusCodes.Status400BadRequest);
        }
        return SeeOther(ConsoleUrls.Scim(Viewer.Enterprise.Slug) + "?done=revoked");
    }

    public async Task<IActionResult> OnPostPolicyAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        try
        {
            await directory.DeprovisioningPolicies.SetAsync(Viewer!.Enterprise, Blank(OnDeactivate), Blank(OnDelete), ParseGraceDays(), Actor,
                HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            PolicyError = e.Message;
            return await PageWithStatusAsync(StatusCodes.Status400BadRequest);
        }
        return SeeOther(ConsoleUrls.Scim(Viewer.Enterprise.Slug) + "?done=policy");

        static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
    }

    int? ParseGraceDays()
    {
        if (string.IsNullOrWhiteSpace(GraceDays)) return null;
        return int.TryParse(GraceDays.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            ? days
            : throw new RosterException($"The grace period is a whole number of days from 0 (removal is final at once) to {DeprovisioningPolicy.MaxGraceDays}, not '{GraceDays}'.");
    }

    DateTimeOffset? ParseExpiry()
    {
        if (string.IsNullOrWhiteSpace(ExpiresInDays)) return null;
        if (!int.TryParse(ExpiresInDays.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days < 1 || days > MaxExpiryDays)
            throw new RosterException($"The expiry is a whole number of days from 1 to {MaxExpiryDays}, or empty for a token that does not expire.");
        return directory.Clock.GetUtcNow().AddDays(days);
    }

    async Task<IActionResult> PageWithStatusAsync(int status)
    {
        await LoadAsync();
        Response.StatusCode = status;
        return Page();
    }

    async Task LoadAsync()
    {
        var enterprise = Viewer!.Enterprise;
        var cancellationToken = HttpContext.RequestAborted;
        Status = await directory.ScimActivation.StatusAsync(enterprise, cancellationToken);
        // Newest first: the token just made, or the one to revoke, is usually the latest.
        Tokens = (await directory.Tokens.ListAsync(enterprise, cancellationToken)).OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).ToList();
        Policy = await directory.DeprovisioningPolicies.GetAsync(enterprise, cancellationToken);
        Now = directory.Clock.GetUtcNow();
        try
        {
            BaseUrl = ConsolePublicUrl.For(Request) + enterprise.ScimPath;
        }
        catch (RosterException e)
        {
            BaseUrlError = e.Message;
        }
    }
}
