using Roster.Testing.Saml;
using Roster.Tests;
using Roster.Tests.Saml;

namespace Roster.Browser.Tests;

/// <summary>
/// What a browser sign-in needs, all on this machine: a Roster (a real server on
/// http://127.0.0.1:PORT over a fresh database of the given kind), a test IdP web app on another site
/// (https://localhost:PORT, a self-signed certificate), and the enterprise Acme with SCIM on and SAML configured for that IdP,
/// whose SSO URL is the IdP's real one; the IdP trusts Acme's service provider.
/// </summary>
public sealed class SignInSite : IAsyncDisposable
{
    /// <summary>One IdP key for every test of the process (each test's Roster is configured to trust
    /// it): making an RSA key takes a while.</summary>
    static readonly Lazy<TestIdentityProvider> IdpIdentity = new(() => TestIdentityProvider.Okta());

    SignInSite(RosterTestHost host, TestIdpServer idp, SamlTestEnterprise acme)
    {
        Host = host;
        Idp = idp;
        Acme = acme;
    }

    public RosterTestHost Host { get; }
    public TestIdpServer Idp { get; }
    public SamlTestEnterprise Acme { get; }

    /// <summary>Roster's origin: http://127.0.0.1:PORT/.</summary>
    public Uri Roster => Host.BaseAddress;

    public static async Task<SignInSite> StartAsync(string kind)
    {
        var host = await RosterTestHost.StartAsync(kind);
        TestIdpServer? idp = null;
        try
        {
            idp = await TestIdpServer.StartAsync(IdpIdentity.Value);
            var acme = await SamlTestEnterprise.CreateAsync(host, idp: idp.Identity, idpSsoUrl: idp.SsoUrl);
            idp.Trust(acme.EntityId, acme.AcsUrl, acme.Configuration.ServiceProvider.CertificatePem);
            return new SignInSite(host, idp, acme);
        }
        catch
        {
            if (idp is not null) await idp.DisposeAsync();
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Roster's SP-initiated sign-in for Acme, returning to <paramref name="returnUrl"/>.</summary>
    public string LoginUrl(string returnUrl) => new Uri(Roster, $"/saml/{Acme.Slug}/login?returnUrl={Uri.EscapeDataString(returnUrl)}").AbsoluteUri;

    /// <summary>An absolute URL of Roster's.</summary>
    public string Url(string path) => new Uri(Roster, path).AbsoluteUri;

    public async ValueTask DisposeAsync()
    {
        await Idp.DisposeAsync();
        await Host.DisposeAsync();
    }
}
