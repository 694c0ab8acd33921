using Roster.Directory;
using Roster.Directory.Identity;

namespace Roster.AdminApi;

/// <summary>
/// The enterprise's identity rules, as the console's Identity page changes them: its email domains and
/// what happens to a provisioned address outside them (<see cref="EnterpriseDomains"/>), and how the
/// IdP's members are linked to accounts that existed before (<see cref="MemberLinking"/>).
/// </summary>
public static class IdentityEndpoints
{
    public sealed record DomainResponse(string Domain, DateTime AddedAt);

    /// <param name="OutsideDomains">refuse or flag: what a provisioned address outside the domains gets.</param>
    public sealed record DomainsResponse(IReadOnlyList<DomainResponse> Domains, string OutsideDomains);

    /// <param name="Domains">The whole list: domains not in it are removed, new ones added. Left out: unchanged.</param>
    public sealed record DomainsRequest(IReadOnlyList<string>? Domains = null, string? OutsideDomains = null);

    public sealed record LinkingResponse(string LinkKey, bool AdoptExisting, DateTime? UpdatedAt);

    public sealed record LinkingRequest(string? LinkKey = null, bool? AdoptExisting = null);

    public static void Map(RouteGroupBuilder enterprise)
    {
        enterprise.MapGet("/domains", GetDomainsAsync)
            .WithName("GetEmailDomains").WithSummary("The enterprise's email domains, and the rule for provisioned addresses outside them (refuse or flag).")
            .Produces<DomainsResponse>();
        enterprise.MapPut("/domains", PutDomainsAsync)
            .WithName("SetEmailDomains").WithSummary("Set the email domains (the whole list) and/or the rule for addresses outside them.")
            .WithJsonBody<DomainsRequest>()
            .Produces<DomainsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
        enterprise.MapGet("/linking", GetLinkingAsync)
            .WithName("GetLinkingRule").WithSummary("How members are linked: the link key (userName, email, externalId) and whether existing accounts are adopted.")
            .Produces<LinkingResponse>();
        enterprise.MapPut("/linking", PutLinkingAsync)
            .WithName("SetLinkingRule").WithSummary("Change the link key and/or the adoption of existing accounts; fields left out keep their value.")
            .WithJsonBody<LinkingRequest>()
            .Produces<LinkingResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
    }

    static async Task<IResult> GetDomainsAsync(HttpContext context, RosterDirectory directory) =>
        TypedResults.Ok(Domains(await directory.Domains.GetAsync(context.ApiCaller().Enterprise, context.RequestAborted)));

    static async Task<IResult> PutDomainsAsync(HttpContext context, RosterDirectory directory)
    {
        var caller = context.ApiCaller();
        var cancellationToken = context.RequestAborted;
        var body = await context.ReadJsonAsync<DomainsRequest>();
        if (body.Domains is null && body.OutsideDomains is null) throw ApiRequestException.BadRequest("Give 'domains', 'outsideDomains', or both.");
        if (body.OutsideDomains is { } outside && !OutsideDomains.All.Contains(outside))
            throw ApiRequestException.BadRequest($"The field 'outsideDomains' is one of {string.Join(", ", OutsideDomains.All)}, not '{outside}'.");
        if (body.Domains is { } listed)
        {
            if (listed.Count > EnterpriseDomains.MaxDomains) throw ApiRequestException.BadRequest($"The field 'domains' lists at most {EnterpriseDomains.MaxDomains} domains.");
            var wanted = new List<string>();
            foreach (var domain in listed)
            {
                if (string.IsNullOrWhiteSpace(domain) || domain.Length > 300 || domain.Any(char.IsControl))
                    throw ApiRequestException.BadRequest("Every entry of 'domains' is a domain name such as acme.com.");
                try
                {
                    wanted.Add(EmailDomain.Normalize(domain));
                }
                catch (RosterException e)
                {
                    throw ApiRequestException.BadRequest($"The field 'domains': {e.Message}");
                }
            }
            // The whole change in one transaction: a refused domain leaves the list as it was.
            return TypedResults.Ok(Domains(await directory.Domains.ReplaceAsync(caller.Enterprise, wanted, body.OutsideDomains, caller.Actor, cancellationToken)));
        }
        return TypedResults.Ok(Domains(await directory.Domains.SetOutsideDomainsAsync(caller.Enterprise, body.OutsideDomains!, caller.Actor, cancellationToken)));
    }

    static async Task<IResult> GetLinkingAsync(HttpContext context, RosterDirectory directory) =>
        TypedResults.Ok(Linking(await directory.Linking.GetAsync(context.ApiCaller().Enterprise, context.RequestAborted)));

    static async Task<IResult> PutLinkingAsync(HttpContext context, RosterDirectory directory)
    {
        var caller = context.ApiCaller();
        var body = await context.ReadJsonAsync<LinkingRequest>();
        if (body.LinkKey is null && body.AdoptExisting is null) throw ApiRequestException.BadRequest("Give 'linkKey', 'adoptExisting', or both.");
        if (body.LinkKey is { } key && !LinkKey.IsValid(key))
            throw ApiRequestException.BadRequest($"The field 'linkKey' is one of {string.Join(", ", LinkKey.All)}, not '{key}'.");
        var rule = await directory.Linking.SetAsync(caller.Enterprise, body.LinkKey, body.AdoptExisting, caller.Actor, context.RequestAborted);
        return TypedResults.Ok(Linking(rule));
    }

    static DomainsResponse Domains(DomainRule rule) =>
        new(rule.Domains.Select(d => new DomainResponse(d.Domain, ApiRequest.Utc(d.AddedAt))).ToList(), rule.OutsideDomains);

    static LinkingResponse Linking(LinkingRule rule) => new(rule.LinkKey, rule.AdoptExisting, ApiRequest.Utc(rule.UpdatedAt));
}
