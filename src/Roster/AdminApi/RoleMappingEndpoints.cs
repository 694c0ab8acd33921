using Roster.Directory;
using Roster.Directory.Roles;

namespace Roster.AdminApi;

/// <summary>The IdP-group → role mappings (<see cref="RoleMappings"/>, as `roster role` and the console's
/// Groups page change them): a member's role follows at once.</summary>
public static class RoleMappingEndpoints
{
    public sealed record RoleMappingResponse(string GroupId, string Group, string Role, DateTime CreatedAt);

    /// <param name="Group">The group's id, or its displayName (any case).</param>
    /// <param name="Role">owner, admin, member or guest.</param>
    public sealed record RoleMappingRequest(string? Group = null, string? Role = null);

    public static void Map(RouteGroupBuilder enterprise)
    {
        enterprise.MapGet("/role-mappings", ListAsync)
            .WithName("ListRoleMappings").WithSummary("The group-to-role mappings, highest role first.")
            .Produces<List<RoleMappingResponse>>();
        enterprise.MapPost("/role-mappings", MapAsync)
            .WithName("MapRole").WithSummary("Map a group (by id or displayName) to a role, or change the role it is mapped to.")
            .WithJsonBody<RoleMappingRequest>()
            .Produces<RoleMappingResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
        enterprise.MapDelete("/role-mappings/{groupId}", UnmapAsync)
            .WithName("UnmapRole").WithSummary("Remove a group's mapping (its members keep the group as a team); answers the mapping removed.")
            .Produces<RoleMappingResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
    }

    static async Task<IResult> ListAsync(HttpContext context, RosterDirectory directory) =>
        TypedResults.Ok((await directory.Roles.ListAsync(context.ApiCaller().Enterprise, context.RequestAborted)).Select(Response).ToList());

    static async Task<IResult> MapAsync(HttpContext context, RosterDirectory directory)
    {
        var caller = context.ApiCaller();
        var body = await context.ReadJsonAsync<RoleMappingRequest>();
        if (string.IsNullOrWhiteSpace(body.Group) || body.Group.Any(char.IsControl) || body.Group.Length > 256)
            throw ApiRequestException.BadRequest("The field 'group' is required: the group's id or displayName, as the IdP pushed it.");
        if (body.Role is null || !EnterpriseRole.IsRole(body.Role))
            throw ApiRequestException.BadRequest($"The field 'role' is one of {string.Join(", ", EnterpriseRole.All)}.");
        var mapping = await directory.Roles.MapAsync(caller.Enterprise, body.Group.Trim(), body.Role, caller.Actor, context.RequestAborted);
        return TypedResults.Ok(Response(mapping));
    }

    static async Task<IResult> UnmapAsync(HttpContext context, RosterDirectory directory, string groupId)
    {
        var caller = context.ApiCaller();
        if (groupId.Any(char.IsControl)) throw ApiRequestException.BadRequest("The group in the path is not a group id.");
        var mapping = await directory.Roles.UnmapAsync(caller.Enterprise, groupId, caller.Actor, context.RequestAborted);
        return TypedResults.Ok(Response(mapping));
    }

    static RoleMappingResponse Response(RoleMapping m) => new(m.GroupId, m.GroupDisplayName, m.Role, ApiRequest.Utc(m.CreatedAt));
}
