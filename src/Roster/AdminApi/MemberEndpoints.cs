using System.Text.Json.Nodes;
using Roster.AdminConsole.Pages;
using Roster.Directory;
using Roster.Directory.Groups;
using Roster.Directory.Members;
using Roster.Directory.Roles;
using Roster.Scim.Errors;

namespace Roster.AdminApi;

/// <summary>
/// The enterprise's members as the console lists them (<see cref="MemberListing"/>: searched, filtered
/// by status, role, group and source, paged by an opaque cursor in userName order), and one member with
/// their groups, role, SCIM resource and provisioning history.
/// </summary>
public static class MemberEndpoints
{
    public const int MaxPageSize = 200;
    public const int HistoryPageSize = 50;

    static readonly IReadOnlyList<string> Statuses = ["all", MembersModel.StatusActive, MembersModel.StatusDeactivated, MembersModel.StatusDeprovisioned];

    public sealed record MemberRow(
        string Id, string UserName, string? DisplayName, string? Email, bool Active, string Role, string Source, DateTime LastModified,
        DateTime? DeactivatedAt, DateTime? DeprovisionedAt, string? DeprovisionedAs, DateTime? RestorableUntil);

    /// <param name="NextCursor">Pass as <c>cursor</c> (with the same filters) for the next page; null on the last.</param>
    /// <param name="Matches">How many members match, counted up to 1000 (<c>matchesCapped</c> when there are more).</param>
    public sealed record MemberPage(IReadOnlyList<MemberRow> Members, string? NextCursor, long Matches, bool MatchesCapped);

    public sealed record GroupRef(string Id, string DisplayName);

    /// <param name="Resource">The SCIM User as the IdP sent it.</param>
    /// <param name="OlderHistoryBefore">Pass as <c>historyBefore</c> for older history; null when none remains.</param>
    public sealed record MemberDetail(
        MemberRow Member, IReadOnlyList<GroupRef> Groups, JsonObject Resource, IReadOnlyList<ProvisioningLogEndpoints.LogEntry> History,
        long? OlderHistoryBefore);

    public static void Map(RouteGroupBuilder enterprise)
    {
        enterprise.MapGet("/members", ListAsync)
            .WithName("ListMembers")
            .WithSummary("Members in userName order, filtered by q (prefix of userName, email or name), status (all, active, deactivated, deprovisioned), " +
                         "role, group (id) and source (scim, saml-jit); limit 1-200 (default 50), cursor for the next page.")
            .WithQuery(new("q", "The start of a userName, email or display name, any case."),
                new("status", "all (default), active, deactivated or deprovisioned."), new("role", "owner, admin, member or guest."),
                new("group", "A group's id: its members only."), new("source", "scim or saml-jit."),
                new("limit", "Members a page, 1-200 (default 50).", IsInteger: true), new("cursor", "The nextCursor of the previous page."))
            .Produces<MemberPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
        enterprise.MapGet("/members/{memberId}", GetAsync)
            .WithName("GetMember")
            .WithSummary("One member (live or deprovisioned) with their groups, role, SCIM resource and provisioning history, newest first (historyBefore pages back).")
            .WithQuery(new ApiQueryParameter("historyBefore", "The olderHistoryBefore of the previous answer: older history.", IsInteger: true))
            .Produces<MemberDetail>();
    }

    static async Task<IResult> ListAsync(HttpContext context, RosterDirectory directory)
    {
        var enterprise = context.ApiCaller().Enterprise;
        var cancellationToken = context.RequestAborted;
        var status = context.QueryChoice("status", Statuses) ?? "all";
        var role = context.QueryChoice("role", EnterpriseRole.All);
        var source = context.QueryChoice("source", MembersModel.Sources.Select(s => s.Value).ToList());
        var groupId = context.QueryText("group", 100);
        if (groupId is not null && await new GroupListing(directory.Database).FindAsync(enterprise, groupId, cancellationToken) is null)
            throw ApiRequestException.BadRequest("The query parameter 'group' is not the id of one of this enterprise's groups.");
        var limit = (int)context.QueryNumber("limit", 1, MaxPageSize, MemberListing.PageSize);
        var query = new MemberListingQuery(context.QueryText("q", MemberListing.MaxSearchLength), status switch
        {
            MembersModel.StatusActive => true,
            MembersModel.StatusDeactivated => false,
            _ => null,
        }, role, groupId, source, Deprovisioned: status == MembersModel.StatusDeprovisioned);
        var page = await new MemberListing(directory.Database).ReadAsync(enterprise, query, context.QueryText("cursor", 1000), limit, cancellationToken);
        return TypedResults.Ok(new MemberPage(page.Members.Select(Row).ToList(), page.NextCursor, page.Matches, page.MatchesCapped));
    }

    static async Task<IResult> GetAsync(HttpContext context, RosterDirectory directory, string memberId)
    {
        var enterprise = context.ApiCaller().Enterprise;
        var cancellationToken = context.RequestAborted;
        var historyBefore = context.QueryNumber("historyBefore", 1, long.MaxValue);
        MemberListingRow? row = await new MemberListing(directory.Database).FindAsync(enterprise, memberId, cancellationToken);
        Member? member = null;
        if (row is not null)
        {
            try
            {
                member = await directory.Members.GetAsync(enterprise, memberId, cancellationToken);
            }
            catch (ScimException e) when (e.Status == StatusCodes.Status404NotFound)
            {
                row = null; // deleted between the two reads
            }
        }
        if (row is null && await directory.Members.FindDeprovisionedAsync(enterprise, memberId, cancellationToken) is { } gone)
        {
            member = gone.Member;
            var resource = gone.Member.Resource;
            row = new MemberListingRow(gone.Member.Id, gone.Member.UserName, resource["displayName"]?.GetValue<string>(),
                (resource["emails"] as JsonArray)?.FirstOrDefault()?["value"]?.GetValue<string>(), gone.Member.Active, EnterpriseRole.Default, gone.Source,
                gone.Member.LastModified, gone.Member.DeactivatedAt, gone.GoneAt, gone.How, gone.RestorableUntil);
        }
        if (row is null || member is null) return ApiProblem.NotFound("This enterprise has no member with that id.");
        var role = await directory.Roles.RoleOfAsync(enterprise, memberId, cancellationToken);
        var groups = (await directory.Groups.GroupsOfAsync(enterprise, [memberId], cancellationToken)).GetValueOrDefault(memberId) ?? [];
        var history = await directory.Log.QueryAsync(enterprise, failedOnly: false, HistoryPageSize + 1, historyBefore, targetId: memberId, cancellationToken);
        long? older = null;
        if (history.Count > HistoryPageSize)
        {
            history.RemoveAt(history.Count - 1);
            older = history[^1].Id;
        }
        return TypedResults.Ok(new MemberDetail(Row(row with { Role = role }), groups.Select(g => new GroupRef(g.GroupId, g.DisplayName)).ToList(),
            (JsonObject)member.Resource.DeepClone(), history.Select(ProvisioningLogEndpoints.Entry).ToList(), older));
    }

    internal static MemberRow Row(MemberListingRow r) => new(
        r.Id, r.UserName, r.DisplayName, r.Email, r.Active, r.Role, r.Source, ApiRequest.Utc(r.LastModified), ApiRequest.Utc(r.DeactivatedAt),
        ApiRequest.Utc(r.GoneAt), r.GoneHow, ApiRequest.Utc(r.RestorableUntil));
}
