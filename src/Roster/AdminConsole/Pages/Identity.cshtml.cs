using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Identity;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/{slug}/identity: the email domains the enterprise owns and what Roster does when its IdP
/// provisions an address outside them, changed through <see cref="EnterpriseDomains"/> as `roster
/// domain add|remove|rule` does, and audited.
/// </summary>
public sealed class IdentityModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    [FromQuery(Name = "saved")] public string? Saved { get; set; }

    [BindProperty] public string? Domain { get; set; }
    [BindProperty] public string? OutsideDomains { get; set; }

    public DomainRule? Rule { get; private set; }

    /// <summary>Why a change was refused; nothing was changed.</summary>
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        Rule = await directory.Domains.GetAsync(Viewer!.Enterprise, HttpContext.RequestAborted);
        return Page();
    }

    public Task<IActionResult> OnPostAddAsync(string slug) =>
        ChangeAsync(slug, "added", enterprise => directory.Domains.AddAsync(enterprise, Domain ?? "", Actor, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostRemoveAsync(string slug) =>
        ChangeAsync(slug, "removed", enterprise => directory.Domains.RemoveAsync(enterprise, Domain ?? "", Actor, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostRuleAsync(string slug) =>
        ChangeAsync(slug, "rule", enterprise => directory.Domains.SetOutsideDomainsAsync(enterprise, OutsideDomains ?? "", Actor, HttpContext.RequestAborted));

    async Task<IActionResult> ChangeAsync(string slug, string saved, Func<Directory.Enterprises.Enterprise, Task<DomainRule>> change)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        try
        {
            if ((Domain ?? "").Length > 300 || (Domain ?? "").Any(char.IsControl)) throw new RosterException("Give a domain name such as acme.com.");
            await change(enterprise);
        }
        catch (RosterException e)
        {
            Error = e.Message;
            Rule = await directory.Domains.GetAsync(enterprise, HttpContext.RequestAborted);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return SeeOther(ConsoleUrls.Identity(enterprise.Slug) + "?saved=" + saved);
    }
}
