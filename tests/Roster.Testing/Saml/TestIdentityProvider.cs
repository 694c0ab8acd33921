using System.Security.Cryptography.X509Certificates;

namespace Roster.Testing.Saml;

/// <summary>
/// A SAML identity provider for tests: its own self-signed RSA-2048 key, an entity ID, and Responses
/// laid out like Okta's (the default) or Entra ID's, signed, optionally encrypted, and as easy to
/// break as an attacker would want. Produces XML only; it knows nothing of Roster.
/// <code>
/// var idp = TestIdentityProvider.Okta();
/// var response = idp.CreateResponse(new SamlResponseOptions { AcsUrl = acs, Audience = spEntityId, InResponseTo = requestId });
/// // POST SAMLResponse=response.FormValue to the ACS; trust idp.PublicCertificate there.
/// </code>
/// </summary>
public sealed class TestIdentityProvider
{
    public const string OktaEntityId = "http://www.okta.com/exk1roster0test";

    public TestIdentityProvider(string entityId, SamlWireStyle style, X509Certificate2? certificate = null)
    {
        EntityId = entityId;
        Style = style;
        Certificate = certificate ?? TestCertificates.CreateSelfSigned($"{style.ToString().ToLowerInvariant()}-idp.roster.test");
        PublicCertificate = Certificate.PublicOnly();
    }

    /// <summary>An Okta app integration's IdP (entity ID http://www.okta.com/{appId}).</summary>
    public static TestIdentityProvider Okta(string entityId = OktaEntityId) => new(entityId, SamlWireStyle.Okta);

    /// <summary>An Entra ID tenant (entity ID https://sts.windows.net/{tenantId}/).</summary>
    public static TestIdentityProvider Entra(Guid? tenantId = null) =>
        new($"https://sts.windows.net/{tenantId ?? new Guid("0c8f9a1e-7b2d-4e4f-9a6b-3c5d7e9f1a2b")}/", SamlWireStyle.Entra);

    public string EntityId { get; }

    public SamlWireStyle Style { get; }

    /// <summary>The signing certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The signing certificate without its private key: what the SP is configured with.</summary>
    public X509Certificate2 PublicCertificate { get; }

    /// <summary>The signing certificate as PEM, as an admin would paste it.</summary>
    public string CertificatePem => Certificate.CertificatePem();

    /// <summary>Lays out, signs (Assertion first), encrypts, signs the Response, then lets
    /// <see cref="SamlResponseOptions.AfterSigning"/> tamper: the order Okta uses.</summary>
    public TestSamlResponse CreateResponse(SamlResponseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var issued = options.IssueInstant ?? (options.Clock ?? TimeProvider.System).GetUtcNow();
        var (document, responseId, assertionId) = new ResponseDocumentWriter(Style, EntityId).Write(options, issued);
        options.BeforeSigning?.Invoke(document);

        var sign = options.Sign ?? (Style == SamlWireStyle.Okta ? TestSignedParts.Both : TestSignedParts.Assertion);
        var signer = new EnvelopedSigner(options.SigningCertificate ?? Certificate, options.Algorithm, options.IncludeKeyInfo, Style, options.CustomizeSignature);
        var response = document.DocumentElement!;
        var assertion = response.Child(SamlNamespaces.Assertion, "Assertion");

        if (sign.HasFlag(TestSignedParts.Assertion) && assertion is not null)
            signer.Sign(assertion, Style == SamlWireStyle.Okta ? "xs" : null);
        if (options.EncryptFor is not null && assertion is not null)
            new AssertionEncryptor(options.EncryptFor, options.DataEncryption, options.KeyTransport, Style).Encrypt(assertion);
        if (sign.HasFlag(TestSignedParts.Response))
            signer.Sign(response, inclusivePrefixes: null);

        options.AfterSigning?.Invoke(document);
        return new TestSamlResponse(document.OuterXml, responseId, assertionId);
    }
}
