using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Groups;
using Roster.Directory.Members;
using Roster.Directory.Roles;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/{slug}/members: the enterprise's members, searched and filtered by a GET form (so a list
/// can be linked to), 50 a page in userName order, each page after the last by an opaque cursor
/// (<see cref="MemberListing"/>): no page of 100,000 costs more than the first.
/// </summary>
public sealed class MembersModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    /// <summary>The groups the group filter offers, by name; a larger directory's others are reached from the Groups page.</summary>
    public const int GroupChoices = 500;

    public const string StatusActive = "active";
    public const string StatusDeactivated = "deactivated";
    public const string StatusDeprovisioned = "deprovisioned";

    /// <summary>The sources a member can have, as stored, with their names in the console.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Sources =
    [
        (MemberDirectory.SourceScim, "SCIM"),
        (MemberDirectory.SourceSamlJit, "SAML just-in-time"),
    ];

    [FromQuery(Name = "q")] public string? Search { get; set; }
    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "role")] public string? Role { get; set; }
    [FromQuery(Name = "group")] public string? GroupId { get; set; }
    [FromQuery(Name = "source")] public string? Source { get; set; }
    [FromQuery(Name = "after")] public string? After { get; set; }

    public MemberListingPage? Listing { get; private set; }
    public IReadOnlyList<MemberGroupRef> Groups { get; private set; } = [];

    /// <summary>Why the list could not be shown as asked (a filter or page link not understood).</summary>
    public string? Error { get; private set; }

    public bool Filtered => !string.IsNullOrWhiteSpace(Search) || !string.IsNullOrEmpty(Status) || !string.IsNullOrEmpty(Role)
                            || !string.IsNullOrEmpty(GroupId) || !string.IsNullOrEmpty(Source);

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        var cancellationToken = HttpContext.RequestAborted;
        var groupListing = new GroupListing(directory.Database);
        var groups = await groupListing.NamesAsync(enterprise, GroupChoices, cancellationToken);
        try
        {
            var query = await QueryAsync(groupListing, groups, cancellationToken);
            Listing = await new MemberListing(directory.Database).ReadAsync(enterprise, query, After, MemberListing.PageSize, cancellationToken);
        }
        catch (RosterException e)
        {
            Error = e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        Groups = groups;
        return Page();
    }

    /// <summary>The form's values as a listing query; a value the form never offers is refused with a reason.</summary>
    async Task<MemberListingQuery> QueryAsync(GroupListing groupListing, List<MemberGroupRef> groups, CancellationToken cancellationToken)
    {
        bool? active = Status switch
        {
            null or "" or "all" or StatusDeprovisioned => null,
            StatusActive => true,
            StatusDeactivated => false,
            _ => throw new RosterException($"Status is all, active, deactivated or deprovisioned, not '{Status}'."),
        };
        var role = string.IsNullOrEmpty(Role) ? null : Role;
        if (role is not null && !EnterpriseRole.IsRole(role))
            throw new RosterException($"Role is one of {string.Join(", ", EnterpriseRole.All)}, not '{role}'.");
        var source = string.IsNullOrEmpty(Source) ? null : Source;
        if (source is not null && Sources.All(s => s.Value != source))
            throw new RosterException($"Source is one of {string.Join(", ", Sources.Select(s => s.Value))}, not '{source}'.");
        var groupId = string.IsNullOrEmpty(GroupId) ? null : GroupId;
        if (groupId is not null && groups.All(g => g.GroupId != groupId))
        {
            // A group beyond the choices offered (linked from its own page) is still a filter; one of
            // no enterprise's (or another's) is not.
            var group = await groupListing.FindAsync(Viewer!.Enterprise, groupId, cancellationToken)
                        ?? throw new RosterException("That group is not one of this organisation's: choose a group from the list.");
            groups.Add(new MemberGroupRef(group.Id, group.DisplayName));
        }
        return new MemberListingQuery(Search, active, role, groupId, source, Deprovisioned: Status == StatusDeprovisioned);
    }

    /// <summary>The address of the next page: this query's filters and the cursor.</summary>
    public string NextPageUrl(string slug, string cursor) => ConsoleUrls.Members(slug) + QueryString(("after", cursor));

    /// <summary>The address of the first page of this query.</summary>
    public string FirstPageUrl(string slug) => ConsoleUrls.Members(slug) + QueryString();

    string QueryString(params (string Name, string Value)[] extra)
    {
        var parts = new List<(string Name, string? Value)> { ("q", Search), ("status", Status), ("role", Role), ("group", GroupId), ("source", Source) };
        parts.AddRange(extra.Select(e => (e.Name, (string?)e.Value)));
        var given = parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join("&", given);
    }

    public static string SourceLabel(string source) => Sources.FirstOrDefault(s => s.Value == source).Label ?? source;

    public bool ListsDeprovisioned => Status == StatusDeprovisioned;

    public string GoneLabel(MemberListingRow member) => DeprovisionedMember.Label(member.GoneHow, member.RestorableUntil, directory.Clock.GetUtcNow());

    public static string RoleLabel(string role) => char.ToUpperInvariant(role[0]) + role[1..];
}
