using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Roster.Directory.Identity;
using Roster.Directory.SignOn;
using Roster.Directory;
using Roster.Saml;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/{slug}/saml: the values to copy into the IdP, the form that configures the IdP (metadata
/// uploaded, pasted or fetched from an https URL, or by hand) through <see cref="SamlSetup"/>, and the
/// IdP as configured with its certificates and warnings. A refused configuration changes nothing.
/// </summary>
public sealed class SamlModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    /// <summary>The largest metadata file or pasted document taken; one IdP's metadata is a few tens of kilobytes.</summary>
    public const int MaxMetadataBytes = 1024 * 1024;

    [BindProperty] public IFormFile? MetadataFile { get; set; }
    [BindProperty] public string? MetadataXml { get; set; }
    [BindProperty] public string? MetadataUrl { get; set; }
    [BindProperty] public string? IdpEntityId { get; set; }
    [BindProperty] public string? IdpSsoUrl { get; set; }
    [BindProperty] public string? IdpCertificatesPem { get; set; }
    [BindProperty] public bool AllowIdpInitiated { get; set; }
    [BindProperty] public string MatchBy { get; set; } = LinkKey.UserName;
    [BindProperty] public bool JitProvisioning { get; set; }

    /// <summary>What <see cref="SamlSetup.Describe"/> says of the enterprise's SAML, configured or not.</summary>
    public JsonObject Description { get; private set; } = [];
    public bool Configured => Description["configured"]?.GetValue<bool>() ?? false;
    public bool Verified => Description["verified"]?.GetValue<bool>() ?? false;
    public IReadOnlyList<JsonObject> Certificates => Description["idp"]?["certificates"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
    public IReadOnlyList<string> Warnings => Configured ? Description["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList() : [];

    /// <summary>Why the configuration was refused; nothing was saved.</summary>
    public string? Error { get; private set; }

    [FromQuery(Name = "saved")] public bool Saved { get; set; }

    public string? Text(string name) => Description[name]?.GetValue<string>();
    public string? IdpText(string name) => Description["idp"]?[name]?.GetValue<string>();

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var configuration = await DescribeAsync();
        if (configuration is not null)
        {
            AllowIdpInitiated = configuration.Options.AllowIdpInitiated;
            JitProvisioning = configuration.Options.JitProvisioning;
        }
        // The link key, which may have been chosen on the Identity page before SAML was configured.
        MatchBy = (await directory.Linking.GetAsync(Viewer!.Enterprise, HttpContext.RequestAborted)).LinkKey;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        var cancellationToken = HttpContext.RequestAborted;
        var existing = await directory.SamlConfigurations.GetAsync(enterprise, cancellationToken);
        try
        {
            var request = await RequestAsync(existing?.Options, cancellationToken);
            await SamlSetup.ConfigureAsync(directory, enterprise, request with { Actor = Actor }, cancellationToken);
        }
        catch (RosterException e)
        {
            Error = e.Message;
            await DescribeAsync();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return SeeOther(ConsoleUrls.Saml(enterprise.Slug) + "?saved=true");
    }

    /// <summary>The set-up request from the form: exactly one way of giving the IdP.</summary>
    async Task<SamlSetupRequest> RequestAsync(SamlOptions? existing, CancellationToken cancellationToken)
    {
        if (!LinkKey.IsValid(MatchBy)) throw new RosterException($"Match people by {string.Join(", ", LinkKey.All)}, not '{MatchBy}'.");
        var options = new SamlOptions(
            AllowIdpInitiated: AllowIdpInitiated,
            AllowSha1: existing?.AllowSha1 ?? false,
            SignAuthnRequests: existing?.SignAuthnRequests ?? true,
            WantAssertionsSigned: existing?.WantAssertionsSigned ?? false,
            MatchBy: MatchBy,
            JitProvisioning: JitProvisioning);
        var publicBaseUrl = ConsolePublicUrl.For(Request);

        var uploaded = MetadataFile is { Length: > 0 };
        var pasted = !string.IsNullOrWhiteSpace(MetadataXml);
        var fetched = !string.IsNullOrWhiteSpace(MetadataUrl);
        var byHand = !string.IsNullOrWhiteSpace(IdpEntityId) || !string.IsNullOrWhiteSpace(IdpSsoUrl) || !string.IsNullOrWhiteSpace(IdpCertificatesPem);
        var ways = new[] { uploaded, pasted, fetched, byHand }.Count(given => given);
        if (ways == 0)
            throw new RosterException("Give the IdP's metadata (a file, the XML pasted, or its https URL), or its entity ID, single sign-on URL and signing certificate.");
        if (ways > 1)
            throw new RosterException("Give the IdP one way only: a metadata file, pasted metadata, a metadata URL, or the values by hand.");

        if (uploaded)
        {
            if (MetadataFile!.Length > MaxMetadataBytes) throw new RosterException("The metadata file is larger than 1 MB; an IdP's metadata is a few tens of kilobytes.");
            using var reader = new StreamReader(MetadataFile.OpenReadStream());
            return new SamlSetupRequest { IdpMetadataXml = await reader.ReadToEndAsync(cancellationToken), Options = options, PublicBaseUrl = publicBaseUrl };
        }
        if (pasted)
        {
            if (MetadataXml!.Length > MaxMetadataBytes) throw new RosterException("The pasted metadata is larger than 1 MB; an IdP's metadata is a few tens of kilobytes.");
            return new SamlSetupRequest { IdpMetadataXml = MetadataXml, Options = options, PublicBaseUrl = publicBaseUrl };
        }
        if (fetched)
        {
            var url = MetadataUrl!.Trim();
            if (!url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                throw new RosterException($"The metadata URL must be an https URL, not '{url}'.");
            // No private addresses from the console: an operator fetching from their own network uses the command line.
            var xml = await IdpMetadataDownload.FetchAsync(url, new IdpMetadataFetchOptions(), cancellationToken);
            return new SamlSetupRequest { IdpMetadataXml = xml, IdpMetadataUrl = url, Options = options, PublicBaseUrl = publicBaseUrl };
        }
        if (string.IsNullOrWhiteSpace(IdpEntityId) || string.IsNullOrWhiteSpace(IdpSsoUrl) || string.IsNullOrWhiteSpace(IdpCertificatesPem))
            throw new RosterException("By hand, give all three: the IdP's entity ID, its single sign-on URL and its signing certificate.");
        IReadOnlyList<string> certificates;
        try
        {
            certificates = SamlSetup.SplitCertificates(IdpCertificatesPem);
        }
        catch (CryptographicException e)
        {
            throw new RosterException($"The signing certificate is not a PEM certificate: {e.Message}");
        }
        return new SamlSetupRequest
        {
            IdpEntityId = IdpEntityId, IdpSsoUrl = IdpSsoUrl, IdpCertificatesPem = certificates, Options = options, PublicBaseUrl = publicBaseUrl,
        };
    }

    async Task<SamlConfiguration?> DescribeAsync()
    {
        var enterprise = Viewer!.Enterprise;
        var cancellationToken = HttpContext.RequestAborted;
        var configuration = await directory.SamlConfigurations.GetAsync(enterprise, cancellationToken);
        var scim = await directory.ScimActivation.StatusAsync(enterprise, cancellationToken);
        Description = SamlSetup.Describe(enterprise, configuration, scim, ConsolePublicUrl.For(Request), directory.Clock.GetUtcNow());
        return configuration;
    }
}
