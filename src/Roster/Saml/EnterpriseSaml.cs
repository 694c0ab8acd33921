using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Roster.Directory.SignOn;
using Roster.Saml.Responses;

namespace Roster.Saml;

/// <summary>
/// An enterprise's stored SAML configuration turned into what Roster.Saml works with: the service
/// provider (with its key), the IdP (with its pinned certificates), and the validation policy.
/// </summary>
internal sealed record EnterpriseSaml(
    SamlConfiguration Configuration, ServiceProviderSettings ServiceProvider, IdentityProviderSettings IdentityProvider, SamlValidationPolicy Policy)
{
    public static EnterpriseSaml From(SamlConfiguration configuration)
    {
        var sp = configuration.ServiceProvider;
        var idp = configuration.IdentityProvider;
        var options = configuration.Options;
        return new EnterpriseSaml(
            configuration,
            new ServiceProviderSettings
            {
                EntityId = sp.EntityId,
                AssertionConsumerServiceUrl = sp.AcsUrl,
                Certificate = ServiceProviderCertificates.Import(sp.CertificatePem, sp.PrivateKeyPem),
                SignAuthnRequests = options.SignAuthnRequests,
                WantAssertionsSigned = options.WantAssertionsSigned,
            },
            new IdentityProviderSettings
            {
                EntityId = idp.EntityId,
                SingleSignOnUrl = new Uri(idp.SsoUrl, UriKind.Absolute),
                SigningCertificates = idp.Certificates.Select(c => X509Certificate2.CreateFromPem(c.Pem)).ToList(),
            },
            new SamlValidationPolicy { AllowSha1 = options.AllowSha1, AllowIdpInitiated = options.AllowIdpInitiated });
    }
}

/// <summary>
/// The settings of each enterprise, built once per saved revision of its configuration: importing an
/// RSA key and certificates costs more than the rest of a sign-in. A configuration saved again (by
/// another instance, too) has a new revision and is built anew on its next use.
/// </summary>
internal sealed class EnterpriseSamlCache
{
    readonly ConcurrentDictionary<string, EnterpriseSaml> byEnterprise = new(StringComparer.Ordinal);

    public EnterpriseSaml Get(SamlConfiguration configuration)
    {
        if (byEnterprise.TryGetValue(configuration.EnterpriseId, out var cached) && cached.Configuration.Revision == configuration.Revision)
        {
            // The settings are the same; the configuration read now is fresher (its verification).
            return cached with { Configuration = configuration };
        }
        var built = EnterpriseSaml.From(configuration);
        byEnterprise[configuration.EnterpriseId] = built;
        return built;
    }
}
