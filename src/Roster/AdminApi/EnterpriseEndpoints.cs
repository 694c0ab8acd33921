using Roster.Directory;

namespace Roster.AdminApi;

/// <summary>GET /api/v1/enterprises/{enterpriseId}: the enterprise and its summary, as the console's overview shows it.</summary>
public static class EnterpriseEndpoints
{
    public sealed record MemberCounts(long Active, long Deactivated);

    public sealed record SamlState(bool Configured, bool Verified);

    public sealed record EnterpriseResponse(
        string Id, string Slug, string Name, DateTime CreatedAt, string ScimPath, MemberCounts Members, long SeatsUsed,
        DateTime? LastProvisioningAt, bool ScimEnabled, SamlState Saml);

    public static void Map(RouteGroupBuilder enterprise)
    {
        enterprise.MapGet("", GetAsync)
            .WithName("GetEnterprise")
            .WithSummary("The enterprise: members active and deactivated, seats used, SAML and SCIM status.")
            .Produces<EnterpriseResponse>();
    }

    static async Task<IResult> GetAsync(HttpContext context, RosterDirectory directory)
    {
        var enterprise = context.ApiCaller().Enterprise;
        var summary = await directory.Enterprises.SummarizeAsync(enterprise, context.RequestAborted);
        var status = await directory.ScimActivation.StatusAsync(enterprise, context.RequestAborted);
        return TypedResults.Ok(new EnterpriseResponse(
            enterprise.Id, enterprise.Slug, enterprise.Name, ApiRequest.Utc(enterprise.CreatedAt), enterprise.ScimPath,
            new MemberCounts(summary.MembersActive, summary.MembersDeactivated), summary.SeatsUsed, ApiRequest.Utc(summary.LastProvisioningAt),
            status.ScimEnabled, new SamlState(status.SamlConfigured, status.SamlVerified)));
    }
}
