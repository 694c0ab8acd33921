using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Identity;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/{slug}/identity: the email domains the enterprise owns and what Roster does when its IdP
/// provisions an address outside them (<see cref="EnterpriseDomains"/>, as `roster domain` does); how
/// the IdP's members are linked to accounts that existed before SCIM, and the conflicts to adopt or keep
/// apart (<see cref="MemberLinking"/>, as `roster linking` and `roster conflict` do). All audited.
/// </summary>
public sealed class IdentityModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    [FromQuery(Name = "saved")] public string? Saved { get; set; }

    [BindProperty] public string? Domain { get; set; }
    [BindProperty] public string? OutsideDomains { get; set; }
    [BindProperty] public string? LinkKey { get; set; }
    [BindProperty] public bool AdoptExisting { get; set; }
    [BindProperty] public string? MemberId { get; set; }

    public DomainRule? Rule { get; private set; }
    public LinkingRule? Linking { get; private set; }
    public IReadOnlyList<LinkingConflict> Conflicts { get; private set; } = [];

    /// <summary>Why a change was refused; nothing was changed.</summary>
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostAddAsync(string slug) =>
        ChangeAsync(slug, "added", enterprise => directory.Domains.AddAsync(enterprise, Domain ?? "", Actor, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostRemoveAsync(string slug) =>
        ChangeAsync(slug, "removed", enterprise => directory.Domains.RemoveAsync(enterprise, Domain ?? "", Actor, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostRuleAsync(string slug) =>
        ChangeAsync(slug, "rule", enterprise => directory.Domains.SetOutsideDomainsAsync(enterprise, OutsideDomains ?? "", Actor, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostLinkingAsync(string slug) =>
        ChangeAsync(slug, "linking", enterprise => directory.Linking.SetAsync(enterprise, LinkKey ?? "", AdoptExisting, Actor, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostAdoptAsync(string slug) =>
        ChangeAsync(slug, "adopted", enterprise => directory.Linking.AdoptAsync(enterprise, MemberId ?? "", Actor, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostKeepApartAsync(string slug) =>
        ChangeAsync(slug, "kept-apart", enterprise => directory.Linking.KeepApartAsync(enterprise, MemberId ?? "", Actor, HttpContext.RequestAborted));

    async Task LoadAsync()
    {
        var enterprise = Viewer!.Enterprise;
        Rule = await directory.Domains.GetAsync(enterprise, HttpContext.RequestAborted);
        Linking = await directory.Linking.GetAsync(enterprise, HttpContext.RequestAborted);
        Conflicts = await directory.Linking.ListConflictsAsync(enterprise, openOnly: true, cancellationToken: HttpContext.RequestAborted);
    }

    async Task<IActionResult> ChangeAsync<T>(string slug, string saved, Func<Directory.Enterprises.Enterprise, Task<T>> change)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        try
        {
            if ((Domain ?? "").Length > 300 || (Domain ?? "").Any(char.IsControl)) throw new RosterException("Give a domain name such as acme.com.");
            if ((MemberId ?? "").Length > 100 || (MemberId ?? "").Any(char.IsControl)) throw new RosterException("Choose the conflict to resolve.");
            await change(enterprise);
        }
        catch (RosterException e)
        {
            Error = e.Message;
            await LoadAsync();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return SeeOther(ConsoleUrls.Identity(enterprise.Slug) + "?saved=" + saved);
    }
}
