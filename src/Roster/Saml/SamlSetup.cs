using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Directory.SignOn;
using Roster.Scim.Resources;

namespace Roster.Saml;

/// <summary>What configuring SAML takes: the IdP, from its metadata or by hand, and the options.</summary>
internal sealed record SamlSetupRequest
{
    /// <summary>The IdP's metadata document (uploaded, pasted or fetched).</summary>
    public string? IdpMetadataXml { get; init; }

    /// <summary>Where <see cref="IdpMetadataXml"/> was fetched from, when it was.</summary>
    public string? IdpMetadataUrl { get; init; }

    public string? IdpEntityId { get; init; }
    public string? IdpSsoUrl { get; init; }
    public IReadOnlyList<string> IdpCertificatesPem { get; init; } = [];

    public required SamlOptions Options { get; init; }

    /// <summary>Who configures SAML, for the audit log (null: nobody's admin action, as in tests).</summary>
    public Roster.Directory.Audit.AuditActor? Actor { get; init; }

    /// <summary>The address Roster is reached at; makes the SP's URLs the first time only.</summary>
    public required string PublicBaseUrl { get; init; }
}

/// <summary>
/// Setting up an enterprise's SAML: the one path the command line (and later the console and the
/// admin API) configure it through, and the description of it they all show.
/// </summary>
internal static class SamlSetup
{
    /// <summary>How long ahead Roster warns that an IdP signing certificate expires.</summary>
    public static readonly TimeSpan ExpiryWarningWindow = TimeSpan.FromDays(30);

    /// <summary>What accepting IdP-initiated sign-in risks, said where it is switched on.</summary>
    public const string IdpInitiatedRiskExplanation =
        "A Response nobody asked for is accepted, so nothing ties it to the browser that presents it. " +
        "Someone holding a valid Response (their own, or one that leaked) can sign a victim's browser into their account (login CSRF). " +
        "Roster limits it (each assertion once, issued within 90 seconds, RelayState only a path of this site); keep it off unless people start from the IdP's dashboard.";

    public const string IdpInitiatedRisk = "IdP-initiated sign-in is on: " + IdpInitiatedRiskExplanation;

    /// <exception cref="RosterException">The IdP metadata or settings are not usable; nothing was changed.</exception>
    public static async Task<SamlConfigurationChange> ConfigureAsync(RosterDirectory directory, Enterprise enterprise, SamlSetupRequest request,
        CancellationToken cancellationToken = default)
    {
        var identityProvider = request.IdpMetadataXml is { } xml
            ? FromMetadata(xml, request.IdpMetadataUrl)
            : ByHand(request);
        var existing = await directory.SamlConfigurations.GetAsync(enterprise, cancellationToken);
        var serviceProvider = existing?.ServiceProvider ?? NewServiceProvider(enterprise, request.PublicBaseUrl, directory.Clock);
        foreach (var certificate in identityProvider.Certificates) RequireVerifiableKey(certificate);
        return await directory.SamlConfigurations.SaveAsync(enterprise, new SamlSettings(serviceProvider, identityProvider, request.Options),
            request.Actor, cancellationToken);
    }

    static SamlIdentityProvider FromMetadata(string xml, string? url)
    {
        IdentityProviderMetadata metadata;
        try
        {
            metadata = IdentityProviderMetadata.Parse(xml);
        }
        catch (SamlMetadataException e)
        {
            throw new RosterException($"The IdP metadata{(url is null ? "" : $" from {url}")} cannot be used: {e.Message}");
        }
        if (metadata.SigningCertificates.Count > SamlIdentityProvider.MaxCertificates)
        {
            throw new RosterException(
                $"The IdP metadata lists {metadata.SigningCertificates.Count} signing certificates; Roster trusts at most {SamlIdentityProvider.MaxCertificates} at once (the current one and the next).");
        }
        return new SamlIdentityProvider(
            metadata.EntityId,
            metadata.RedirectSingleSignOnUrl.AbsoluteUri,
            metadata.SigningCertificates.Select(c => SamlIdpCertificate.FromPem(c.ExportCertificatePem())).ToList(),
            xml,
            url);
    }

    static SamlIdentityProvider ByHand(SamlSetupRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.IdpEntityId) || string.IsNullOrWhiteSpace(request.IdpSsoUrl) || request.IdpCertificatesPem.Count == 0)
        {
            throw new RosterException(
                "Configure the IdP from its metadata (--idp-metadata FILE|URL), or give all three of its entity ID (--idp-entity-id), " +
                "single sign-on URL (--idp-sso-url) and signing certificate (--idp-certificate FILE).");
        }
        if (!Uri.TryCreate(request.IdpSsoUrl.Trim(), UriKind.Absolute, out var sso) || !IdpEndpointPolicy.IsAcceptable(sso))
            throw new RosterException($"The IdP single sign-on URL must be an https URL (plain http only on this machine, for a test IdP), not '{request.IdpSsoUrl}'.");
        if (request.IdpCertificatesPem.Count > SamlIdentityProvider.MaxCertificates)
            throw new RosterException($"Give at most {SamlIdentityProvider.MaxCertificates} IdP signing certificates (the current one and the next).");
        return new SamlIdentityProvider(request.IdpEntityId.Trim(), sso.AbsoluteUri, request.IdpCertificatesPem.Select(SamlIdpCertificate.FromPem).ToList());
    }

    /// <summary>A certificate whose signatures Roster can check: an RSA key of 2048 bits or more, as
    /// RSA-SHA256 and stronger need. Anything else would refuse every sign-in later; it is refused
    /// now, where the admin can act on it.</summary>
    static void RequireVerifiableKey(SamlIdpCertificate certificate)
    {
        using var x509 = X509Certificate2.CreateFromPem(certificate.Pem);
        using var rsa = x509.GetRSAPublicKey();
        if (rsa is null)
        {
            throw new RosterException(
                $"The IdP certificate {x509.Subject} has a {x509.PublicKey.Oid.FriendlyName ?? x509.PublicKey.Oid.Value} key; Roster verifies RSA signatures (RSA-SHA256 or stronger). Set the IdP to sign with an RSA key.");
        }
        if (rsa.KeySize < 2048)
            throw new RosterException($"The IdP certificate {x509.Subject} has a {rsa.KeySize}-bit RSA key; Roster needs 2048 bits or more.");
    }

    static SamlServiceProvider NewServiceProvider(Enterprise enterprise, string publicBaseUrl, TimeProvider clock)
    {
        var urls = SamlUrls.For(publicBaseUrl, enterprise.Slug);
        using var certificate = ServiceProviderCertificates.Create($"Roster SAML SP {enterprise.Slug}", clock);
        var (certificatePem, privateKeyPem) = ServiceProviderCertificates.ExportPem(certificate);
        return new SamlServiceProvider(urls.EntityId, urls.AcsUrl, urls.LoginUrl, certificatePem, privateKeyPem);
    }

    /// <summary>Splits a PEM file holding one or more certificates into one PEM text each.</summary>
    public static IReadOnlyList<string> SplitCertificates(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        var certificates = collection.Select(c => c.ExportCertificatePem()).ToList();
        foreach (var certificate in collection) certificate.Dispose();
        if (certificates.Count == 0) throw new RosterException("The certificate file holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        return certificates;
    }

    /// <summary>The SP metadata of a configured enterprise: what an IdP that reads metadata (Entra ID,
    /// OneLogin) is set up from, with the signing and encryption certificate.</summary>
    public static string ServiceProviderMetadata(SamlConfiguration configuration)
    {
        var saml = EnterpriseSaml.From(configuration);
        return Roster.Saml.ServiceProviderMetadata.Write(saml.ServiceProvider, includeEncryptionKey: true);
    }

    /// <summary>What an admin should act on: certificates near or past expiry, risky options, an
    /// untested configuration.</summary>
    public static List<string> Warnings(SamlConfiguration configuration, DateTimeOffset now)
    {
        var warnings = new List<string>();
        var certificates = configuration.IdentityProvider.Certificates.Select(c => X509Certificate2.CreateFromPem(c.Pem)).ToList();
        try
        {
            warnings.AddRange(CertificateExpiry.Warnings(certificates, now, ExpiryWarningWindow).Select(w => w.Message));
            if (certificates.Count > 0 && certificates.All(c => c.NotAfter.ToUniversalTime() <= now.UtcDateTime))
                warnings.Add("Every IdP signing certificate has expired: nobody can sign in until the IdP's new certificate is configured.");
        }
        finally
        {
            foreach (var certificate in certificates) certificate.Dispose();
        }
        if (configuration.Options.AllowIdpInitiated) warnings.Add(IdpInitiatedRisk);
        if (configuration.Options.AllowSha1)
            warnings.Add("SHA-1 signatures are accepted: SHA-1 is broken for signatures. Set the IdP to RSA-SHA256 and configure again without --allow-sha1.");
        if (!configuration.IsVerified)
            warnings.Add($"No test sign-in has succeeded with this IdP yet: sign in once at {configuration.ServiceProvider.TestSignInUrl}.");
        if (SamlUrls.IsInsecure(configuration.ServiceProvider.AcsUrl))
            warnings.Add("The ACS URL is plain http: IdPs such as Okta require https, and browsers drop the sign-in cookies over http.");
        return warnings;
    }

    /// <summary>The description `roster saml show` prints (and the console will show): the values to
    /// copy into the IdP, the IdP as configured, the options, and the warnings.</summary>
    public static JsonObject Describe(Enterprise enterprise, SamlConfiguration? configuration, ScimStatus scim, string publicBaseUrl, DateTimeOffset now)
    {
        if (configuration is null)
        {
            // Not configured yet: the SP values an admin types into the IdP first (Okta asks for them
            // before it shows its own metadata). They are kept when SAML is configured.
            var urls = SamlUrls.For(publicBaseUrl, enterprise.Slug);
            return new JsonObject
            {
                ["enterprise"] = enterprise.Slug,
                ["configured"] = false,
                ["verified"] = false,
                ["entityId"] = urls.EntityId,
                ["acsUrl"] = urls.AcsUrl,
                ["metadataUrl"] = urls.MetadataUrl,
                ["loginUrl"] = urls.LoginUrl,
                ["testSignInUrl"] = urls.LoginUrl + "?test=1",
                ["nameIdFormat"] = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
                ["scimEnabled"] = scim.ScimEnabled,
                ["warnings"] = new JsonArray($"SAML is not configured: `roster saml configure --enterprise {enterprise.Slug} --idp-metadata FILE|URL`."),
            };
        }
        var sp = configuration.ServiceProvider;
        var idp = configuration.IdentityProvider;
        var options = configuration.Options;
        return new JsonObject
        {
            ["enterprise"] = enterprise.Slug,
            ["configured"] = true,
            ["verified"] = configuration.IsVerified,
            ["verifiedAt"] = Time(configuration.VerifiedAt),
            ["verifiedNameId"] = configuration.VerifiedNameId,
            ["entityId"] = sp.EntityId,
            ["acsUrl"] = sp.AcsUrl,
            ["metadataUrl"] = SamlUrls.MetadataUrlOf(sp.AcsUrl),
            ["loginUrl"] = sp.LoginUrl,
            ["testSignInUrl"] = sp.TestSignInUrl,
            ["nameIdFormat"] = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            ["spCertificate"] = Certificate(sp.CertificatePem),
            ["idp"] = new JsonObject
            {
                ["entityId"] = idp.EntityId,
                ["ssoUrl"] = idp.SsoUrl,
                ["metadataUrl"] = idp.MetadataUrl,
                ["fromMetadata"] = idp.MetadataXml is not null,
                ["certificates"] = new JsonArray(idp.Certificates.Select(c => (JsonNode?)Certificate(c.Pem)).ToArray()),
            },
            ["allowIdpInitiated"] = options.AllowIdpInitiated,
            ["allowSha1"] = options.AllowSha1,
            ["signAuthnRequests"] = options.SignAuthnRequests,
            ["wantAssertionsSigned"] = options.WantAssertionsSigned,
            ["matchBy"] = options.MatchBy,
            ["jitProvisioning"] = options.JitProvisioning,
            ["scimEnabled"] = scim.ScimEnabled,
            ["configuredAt"] = Time(configuration.ConfiguredAt),
            ["updatedAt"] = Time(configuration.UpdatedAt),
            ["warnings"] = new JsonArray(Warnings(configuration, now).Select(w => (JsonNode?)w).ToArray()),
        };
    }

    static JsonObject Certificate(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(pem);
        return new JsonObject
        {
            ["subject"] = certificate.Subject,
            ["sha256"] = CertificateFingerprint.Sha256(certificate),
            ["notBefore"] = Time(new DateTimeOffset(certificate.NotBefore.ToUniversalTime())),
            ["notAfter"] = Time(new DateTimeOffset(certificate.NotAfter.ToUniversalTime())),
            ["pem"] = certificate.ExportCertificatePem(),
        };
    }

    static string? Time(DateTimeOffset? time) => time is { } t ? ResourceWriter.FormatTime(t) : null;
}
