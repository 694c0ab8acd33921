using Roster.Directory;
using Roster.Directory.Enterprises;

namespace Roster.AdminApi;

/// <summary>What the enterprise does when its IdP deactivates or deletes a member (<see cref="DeprovisioningPolicies"/>).</summary>
public static class DeprovisioningPolicyEndpoints
{
    /// <param name="UpdatedAt">Null while the enterprise has the defaults.</param>
    public sealed record PolicyResponse(string OnDeactivate, string OnDelete, int GraceDays, DateTime? UpdatedAt);

    /// <summary>Fields left out keep their value.</summary>
    public sealed record PolicyRequest(string? OnDeactivate = null, string? OnDelete = null, int? GraceDays = null);

    public static void Map(RouteGroupBuilder enterprise)
    {
        enterprise.MapGet("/deprovisioning-policy", GetAsync)
            .WithName("GetDeprovisioningPolicy").WithSummary("The deprovisioning policy: onDeactivate (suspend, remove), onDelete (remove, suspend), graceDays.")
            .Produces<PolicyResponse>();
        enterprise.MapPut("/deprovisioning-policy", PutAsync)
            .WithName("SetDeprovisioningPolicy").WithSummary("Change the deprovisioning policy; fields left out keep their value.")
            .WithJsonBody<PolicyRequest>()
            .Produces<PolicyResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
    }

    static async Task<IResult> GetAsync(HttpContext context, RosterDirectory directory) =>
        TypedResults.Ok(Response(await directory.DeprovisioningPolicies.GetAsync(context.ApiCaller().Enterprise, context.RequestAborted)));

    static async Task<IResult> PutAsync(HttpContext context, RosterDirectory directory)
    {
        var caller = context.ApiCaller();
        var body = await context.ReadJsonAsync<PolicyRequest>();
        if (body.OnDeactivate is { } deactivate && !DeprovisioningPolicy.Actions.Contains(deactivate))
            throw ApiRequestException.BadRequest($"The field 'onDeactivate' is one of {string.Join(", ", DeprovisioningPolicy.Actions)}, not '{deactivate}'.");
        if (body.OnDelete is { } delete && !DeprovisioningPolicy.Actions.Contains(delete))
            throw ApiRequestException.BadRequest($"The field 'onDelete' is one of {string.Join(", ", DeprovisioningPolicy.Actions)}, not '{delete}'.");
        if (body.GraceDays is < 0 or > DeprovisioningPolicy.MaxGraceDays)
            throw ApiRequestException.BadRequest($"The field 'graceDays' is a whole number of days from 0 to {DeprovisioningPolicy.MaxGraceDays}, not {body.GraceDays}.");
        var policy = await directory.DeprovisioningPolicies.SetAsync(caller.Enterprise, body.OnDeactivate, body.OnDelete, body.GraceDays, caller.Actor,
            context.RequestAborted);
        return TypedResults.Ok(Response(policy));
    }

    static PolicyResponse Response(DeprovisioningPolicy p) => new(p.OnDeactivate, p.OnDelete, p.GraceDays, ApiRequest.Utc(p.UpdatedAt));
}
