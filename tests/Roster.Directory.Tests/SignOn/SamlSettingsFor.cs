using System.Security.Cryptography.X509Certificates;
using Roster.Directory.SignOn;
using Roster.Testing;

namespace Roster.Directory.Tests.SignOn;

/// <summary>SAML settings as `roster saml configure` would make them, with throwaway certificates.</summary>
internal static class SamlSettingsFor
{
    static readonly Lazy<X509Certificate2> SpPair = new(() => TestCertificates.CreateSelfSigned("roster-sp"));
    public static readonly Lazy<X509Certificate2> IdpCurrent = new(() => TestCertificates.CreateSelfSigned("idp-current"));
    public static readonly Lazy<X509Certificate2> IdpNext = new(() => TestCertificates.CreateSelfSigned("idp-next"));

    public static SamlServiceProvider ServiceProvider(string slug, string host = "roster.example.com", X509Certificate2? pair = null)
    {
        pair ??= SpPair.Value;
        return new SamlServiceProvider($"https://{host}/saml/{slug}", $"https://{host}/saml/{slug}/acs", $"https://{host}/saml/{slug}/login",
            pair.CertificatePem(), pair.PrivateKeyPem());
    }

    public static SamlIdentityProvider IdentityProvider(string entityId = "http://www.okta.com/exk1", string ssoUrl = "https://acme.okta.com/app/sso/saml",
        params X509Certificate2[] certificates) =>
        new(entityId, ssoUrl, (certificates.Length == 0 ? [IdpCurrent.Value] : certificates).Select(c => SamlIdpCertificate.FromPem(c.CertificatePem())).ToList());

    public static SamlSettings Settings(string slug, SamlIdentityProvider? idp = null, SamlOptions? options = null) =>
        new(ServiceProvider(slug), idp ?? IdentityProvider(), options ?? SamlOptions.Default);
}
