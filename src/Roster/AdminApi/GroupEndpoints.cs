using Roster.Directory;
using Roster.Directory.Groups;
using Roster.Directory.Members;

namespace Roster.AdminApi;

/// <summary>The enterprise's groups as the IdP pushed them, in name order by cursor, each with its
/// member count and the role it is mapped to; one group with its members, paged by cursor.</summary>
public static class GroupEndpoints
{
    public const int MaxPageSize = 200;

    /// <param name="Role">The role the group is mapped to; null for a team only.</param>
    public sealed record GroupRow(string Id, string DisplayName, long MemberCount, string? Role);

    public sealed record GroupPage(IReadOnlyList<GroupRow> Groups, string? NextCursor);

    public sealed record GroupDetail(GroupRow Group, MemberEndpoints.MemberPage Members);

    public static void Map(RouteGroupBuilder enterprise)
    {
        enterprise.MapGet("/groups", ListAsync)
            .WithName("ListGroups").WithSummary("Groups in name order with member counts and roles; limit 1-200 (default 100), cursor for the next page.")
            .WithQuery(new("limit", "Groups a page, 1-200 (default 100).", IsInteger: true), new("cursor", "The nextCursor of the previous page."))
            .Produces<GroupPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
        enterprise.MapGet("/groups/{groupId}", GetAsync)
            .WithName("GetGroup").WithSummary("One group and its members in userName order; limit 1-200 (default 50), cursor for the next page of members.")
            .WithQuery(new("limit", "Members a page, 1-200 (default 50).", IsInteger: true), new("cursor", "The members' nextCursor of the previous page."))
            .Produces<GroupDetail>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
    }

    static async Task<IResult> ListAsync(HttpContext context, RosterDirectory directory)
    {
        var limit = (int)context.QueryNumber("limit", 1, MaxPageSize, GroupListing.PageSize);
        var page = await new GroupListing(directory.Database).ReadAsync(context.ApiCaller().Enterprise, context.QueryText("cursor", 1000), limit,
            context.RequestAborted);
        return TypedResults.Ok(new GroupPage(page.Groups.Select(Row).ToList(), page.NextCursor));
    }

    static async Task<IResult> GetAsync(HttpContext context, RosterDirectory directory, string groupId)
    {
        var enterprise = context.ApiCaller().Enterprise;
        var limit = (int)context.QueryNumber("limit", 1, MemberEndpoints.MaxPageSize, MemberListing.PageSize);
        var group = await new GroupListing(directory.Database).FindAsync(enterprise, groupId, context.RequestAborted);
        if (group is null) return ApiProblem.NotFound("This enterprise has no group with that id.");
        var members = await new MemberListing(directory.Database).ReadAsync(enterprise, new MemberListingQuery(GroupId: group.Id),
            context.QueryText("cursor", 1000), limit, context.RequestAborted);
        return TypedResults.Ok(new GroupDetail(Row(group),
            new MemberEndpoints.MemberPage(members.Members.Select(MemberEndpoints.Row).ToList(), members.NextCursor, members.Matches, members.MatchesCapped)));
    }

    static GroupRow Row(GroupListingRow g) => new(g.Id, g.DisplayName, g.MemberCount, g.Role);
}
