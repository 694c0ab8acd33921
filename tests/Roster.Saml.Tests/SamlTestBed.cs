using System.Security.Cryptography.X509Certificates;
using Roster.Testing;
using Roster.Testing.Saml;

namespace Roster.Saml.Tests;

/// <summary>The world the tests run in: the "acme" enterprise's service provider, its Okta and Entra
/// IdPs, a stranger's key, and one pinned instant. Keys are made once per test run.</summary>
internal static class SamlTestBed
{
    public static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A new clock standing at <see cref="Now"/>, for the test to move if it needs to.</summary>
    public static ManualClock Clock => new(Now);

    public const string SpEntityId = "https://roster.example/saml/acme";
    public const string AcsUrl = "https://roster.example/saml/acme/acs";
    public const string RequestId = "_5b7e2f0c9a1d4e3f8b6c2a4e0d9f7c1b";
    public const string Victim = "admin@acme.example";

    public static readonly TestIdentityProvider Okta = TestIdentityProvider.Okta();
    public static readonly TestIdentityProvider Entra = TestIdentityProvider.Entra();

    /// <summary>Someone else's key pair: an attacker's, or the IdP's before it rotated.</summary>
    public static readonly X509Certificate2 Stranger = TestCertificates.CreateSelfSigned("stranger.example");

    /// <summary>Roster's own key pair for this enterprise, made as Roster makes it
    /// (<see cref="ServiceProviderCertificates.Create"/> at <see cref="Now"/>): it signs AuthnRequests,
    /// decrypts assertions, and is what the SP metadata publishes.</summary>
    public static readonly X509Certificate2 SpCertificate = ServiceProviderCertificates.Create("acme.roster.example", Clock);

    /// <summary>A Response answering <see cref="RequestId"/>, issued <see cref="Now"/>.</summary>
    public static SamlResponseOptions Answer => new()
    {
        AcsUrl = AcsUrl,
        Audience = SpEntityId,
        InResponseTo = RequestId,
        IssueInstant = Now,
    };

    public static ServiceProviderSettings Sp => new()
    {
        EntityId = SpEntityId,
        AssertionConsumerServiceUrl = AcsUrl,
        Certificate = SpCertificate,
    };

    public static IdentityProviderSettings SettingsOf(TestIdentityProvider idp, params X509Certificate2[] moreCertificates) => new()
    {
        EntityId = idp.EntityId,
        SingleSignOnUrl = new Uri("https://idp.example/sso/saml"),
        SigningCertificates = [.. moreCertificates, idp.PublicCertificate],
    };
}
