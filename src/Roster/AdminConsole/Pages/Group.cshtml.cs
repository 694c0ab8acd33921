using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Groups;
using Roster.Directory.Members;

namespace Roster.AdminConsole.Pages;

/// <summary>/console/{slug}/groups/{id}: a group's role and its members, 50 a page by cursor. An id
/// of no group of this enterprise, another enterprise's included, is the same 404.</summary>
public sealed class GroupModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    [FromQuery(Name = "after")] public string? After { get; set; }

    public bool Missing { get; private set; }
    public GroupListingRow? Group { get; private set; }
    public MemberListingPage? Members { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, string id)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        var cancellationToken = HttpContext.RequestAborted;
        Group = await new GroupListing(directory.Database).FindAsync(enterprise, id, cancellationToken);
        if (Group is null)
        {
            Missing = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        var listing = new MemberListing(directory.Database);
        var query = new MemberListingQuery(GroupId: id);
        try
        {
            Members = await listing.ReadAsync(enterprise, query, After, MemberListing.PageSize, cancellationToken);
        }
        catch (RosterException e)
        {
            Error = e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Members = await listing.ReadAsync(enterprise, query, null, MemberListing.PageSize, cancellationToken);
        }
        return Page();
    }
}
