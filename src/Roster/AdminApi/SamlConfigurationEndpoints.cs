using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Roster.AdminConsole;
using Roster.Directory;
using Roster.Directory.Identity;
using Roster.Directory.SignOn;
using Roster.Saml;

namespace Roster.AdminApi;

/// <summary>
/// The enterprise's SAML single sign-on: GET describes it as `roster saml show` does (the values to
/// copy into the IdP, the IdP as configured, options, warnings); PUT configures the IdP from its
/// metadata (the XML, or an https URL Roster fetches) or by hand, through <see cref="SamlSetup"/> as
/// the console does. A refused configuration changes nothing.
/// </summary>
public static class SamlConfigurationEndpoints
{
    public const int MaxMetadataLength = 1024 * 1024;

    /// <summary>Exactly one way of giving the IdP: <c>metadataXml</c>, <c>metadataUrl</c>, or all three
    /// of <c>idpEntityId</c>, <c>idpSsoUrl</c>, <c>idpCertificatesPem</c>. Options left out keep their value.</summary>
    public sealed record SamlConfigurationRequest(
        string? MetadataXml = null, string? MetadataUrl = null, string? IdpEntityId = null, string? IdpSsoUrl = null, string? IdpCertificatesPem = null,
        bool? AllowIdpInitiated = null, string? MatchBy = null, bool? JitProvisioning = null);

    public static void Map(RouteGroupBuilder enterprise)
    {
        enterprise.MapGet("/saml", GetAsync)
            .WithName("GetSamlConfiguration")
            .WithSummary("The SAML configuration: the SP values to copy into the IdP, the IdP as configured, options and warnings.")
            .Produces<JsonObject>();
        enterprise.MapPut("/saml", PutAsync)
            .WithName("ConfigureSaml")
            .WithSummary("Configure the IdP from its metadata (XML or https URL) or by hand; a changed IdP must pass a test sign-in again.")
            .WithJsonBody<SamlConfigurationRequest>()
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
    }

    static async Task<IResult> GetAsync(HttpContext context, RosterDirectory directory) =>
        TypedResults.Ok(await DescribeAsync(context, directory));

    static async Task<IResult> PutAsync(HttpContext context, RosterDirectory directory)
    {
        var caller = context.ApiCaller();
        var body = await context.ReadJsonAsync<SamlConfigurationRequest>();
        var cancellationToken = context.RequestAborted;
        var existing = await directory.SamlConfigurations.GetAsync(caller.Enterprise, cancellationToken);
        var matchBy = body.MatchBy ?? existing?.Options.MatchBy ?? (await directory.Linking.GetAsync(caller.Enterprise, cancellationToken)).LinkKey;
        if (!LinkKey.IsValid(matchBy)) throw ApiRequestException.BadRequest($"The field 'matchBy' is one of {string.Join(", ", LinkKey.All)}, not '{matchBy}'.");
        var options = new SamlOptions(
            AllowIdpInitiated: body.AllowIdpInitiated ?? existing?.Options.AllowIdpInitiated ?? false,
            AllowSha1: existing?.Options.AllowSha1 ?? false,
            SignAuthnRequests: existing?.Options.SignAuthnRequests ?? true,
            WantAssertionsSigned: existing?.Options.WantAssertionsSigned ?? false,
            MatchBy: matchBy,
            JitProvisioning: body.JitProvisioning ?? existing?.Options.JitProvisioning ?? false);
        var request = await RequestAsync(body, options, ConsolePublicUrl.For(context.Request), cancellationToken);
        await SamlSetup.ConfigureAsync(directory, caller.Enterprise, request with { Actor = caller.Actor }, cancellationToken);
        return TypedResults.Ok(await DescribeAsync(context, directory));
    }

    static async Task<SamlSetupRequest> RequestAsync(SamlConfigurationRequest body, SamlOptions options, string publicBaseUrl, CancellationToken cancellationToken)
    {
        var pasted = !string.IsNullOrWhiteSpace(body.MetadataXml);
        var fetched = !string.IsNullOrWhiteSpace(body.MetadataUrl);
        var byHand = !string.IsNullOrWhiteSpace(body.IdpEntityId) || !string.IsNullOrWhiteSpace(body.IdpSsoUrl) || !string.IsNullOrWhiteSpace(body.IdpCertificatesPem);
        var ways = new[] { pasted, fetched, byHand }.Count(given => given);
        if (ways != 1)
        {
            throw ApiRequestException.BadRequest(
                "Give the IdP one way: 'metadataXml' (its metadata document), 'metadataUrl' (an https URL to fetch it from), " +
                "or all three of 'idpEntityId', 'idpSsoUrl' and 'idpCertificatesPem'.");
        }
        if (pasted)
        {
            if (body.MetadataXml!.Length > MaxMetadataLength) throw ApiRequestException.BadRequest("The field 'metadataXml' is larger than 1 MB; an IdP's metadata is a few tens of kilobytes.");
            return new SamlSetupRequest { IdpMetadataXml = body.MetadataXml, Options = options, PublicBaseUrl = publicBaseUrl };
        }
        if (fetched)
        {
            var url = body.MetadataUrl!.Trim();
            if (!url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                throw ApiRequestException.BadRequest($"The field 'metadataUrl' must be an https URL, not '{url}'.");
            // As from the console: no private addresses (the command line fetches from an operator's own network).
            var xml = await IdpMetadataDownload.FetchAsync(url, new IdpMetadataFetchOptions(), cancellationToken);
            return new SamlSetupRequest { IdpMetadataXml = xml, IdpMetadataUrl = url, Options = options, PublicBaseUrl = publicBaseUrl };
        }
        if (string.IsNullOrWhiteSpace(body.IdpEntityId) || string.IsNullOrWhiteSpace(body.IdpSsoUrl) || string.IsNullOrWhiteSpace(body.IdpCertificatesPem))
            throw ApiRequestException.BadRequest("By hand, give all three fields: 'idpEntityId', 'idpSsoUrl' and 'idpCertificatesPem'.");
        IReadOnlyList<string> certificates;
        try
        {
            certificates = SamlSetup.SplitCertificates(body.IdpCertificatesPem);
        }
        catch (CryptographicException e)
        {
            throw ApiRequestException.BadRequest($"The field 'idpCertificatesPem' is not a PEM certificate: {e.Message}");
        }
        return new SamlSetupRequest
        {
            IdpEntityId = body.IdpEntityId, IdpSsoUrl = body.IdpSsoUrl, IdpCertificatesPem = certificates, Options = options, PublicBaseUrl = publicBaseUrl,
        };
    }

    static async Task<JsonObject> DescribeAsync(HttpContext context, RosterDirectory directory)
    {
        var enterprise = context.ApiCaller().Enterprise;
        var configuration = await directory.SamlConfigurations.GetAsync(enterprise, context.RequestAborted);
        var scim = await directory.ScimActivation.StatusAsync(enterprise, context.RequestAborted);
        return SamlSetup.Describe(enterprise, configuration, scim, ConsolePublicUrl.For(context.Request), directory.Clock.GetUtcNow());
    }
}
