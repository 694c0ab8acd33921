using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Groups;
using Roster.Directory.Roles;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/{slug}/groups: the enterprise's groups (as the IdP pushed them) with their member counts
/// and roles, and the IdP-group → role mapping, changed through <see cref="RoleMappings"/> as
/// `roster role map|unmap` does: a member's role follows at once, since it is computed on every read.
/// </summary>
public sealed class GroupsModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    [FromQuery(Name = "after")] public string? After { get; set; }
    [FromQuery(Name = "saved")] public string? Saved { get; set; }

    [BindProperty] public string? GroupName { get; set; }
    [BindProperty] public string? MapRole { get; set; }
    [BindProperty] public string? GroupId { get; set; }

    public GroupListingPage? Listing { get; private set; }
    public IReadOnlyList<RoleMapping> Mappings { get; private set; } = [];

    /// <summary>Why a mapping change or a page link was refused; nothing was changed.</summary>
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        try
        {
            await LoadAsync(After);
        }
        catch (RosterException e)
        {
            Error = e.Message;
            await LoadAsync(null);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostMapAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        try
        {
            if (string.IsNullOrWhiteSpace(GroupName)) throw new RosterException("Give the name of the group, as your identity provider pushed it.");
            if (GroupName.Any(char.IsControl)) throw new RosterException("A group name has no control characters: give it as your identity provider shows it.");
            if (string.IsNullOrEmpty(MapRole) || !EnterpriseRole.IsRole(MapRole))
                throw new RosterException($"Choose a role: one of {string.Join(", ", EnterpriseRole.All)}.");
            await directory.Roles.MapAsync(enterprise, GroupName.Trim(), MapRole, Actor, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            return await RefusedAsync(e);
        }
        return SeeOther(ConsoleUrls.Groups(enterprise.Slug) + "?saved=mapped");
    }

    public async Task<IActionResult> OnPostUnmapAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        try
        {
            if (string.IsNullOrEmpty(GroupId) || GroupId.Any(char.IsControl)) throw new RosterException("Choose the mapping to remove.");
            await directory.Roles.UnmapAsync(enterprise, GroupId, Actor, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            return await RefusedAsync(e);
        }
        return SeeOther(ConsoleUrls.Groups(enterprise.Slug) + "?saved=unmapped");
    }

    async Task<IActionResult> RefusedAsync(RosterException e)
    {
        Error = e.Message;
        await LoadAsync(null);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    async Task LoadAsync(string? after)
    {
        var enterprise = Viewer!.Enterprise;
        var cancellationToken = HttpContext.RequestAborted;
        Mappings = await directory.Roles.ListAsync(enterprise, cancellationToken);
        Listing = await new GroupListing(directory.Database).ReadAsync(enterprise, after, GroupListing.PageSize, cancellationToken);
    }
}
