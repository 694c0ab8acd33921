using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Roster.Testing.Saml;

/// <summary>
/// What <see cref="TestIdentityProvider.CreateResponse"/> produces. Only the ACS URL and the audience
/// are required; everything else defaults to what the IdP's <see cref="SamlWireStyle"/> sends: a valid,
/// signed Response issued now with ±5 minute windows. Derive variations with <c>with</c>.
/// </summary>
public sealed record SamlResponseOptions
{
    public const string EmailAddressFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    public const string Success = "urn:oasis:names:tc:SAML:2.0:status:Success";

    /// <summary>The service provider's ACS URL: Destination and Recipient unless overridden.</summary>
    public required string AcsUrl { get; init; }

    /// <summary>The service provider's entity ID, the one Audience.</summary>
    public required string Audience { get; init; }

    /// <summary>The Response's Destination; null means <see cref="AcsUrl"/>.</summary>
    public string? Destination { get; init; }

    /// <summary>The bearer confirmation's Recipient; null means <see cref="AcsUrl"/>.</summary>
    public string? Recipient { get; init; }

    /// <summary>The AuthnRequest ID answered, on the Response and the confirmation; null for an
    /// unsolicited (IdP-initiated) Response.</summary>
    public string? InResponseTo { get; init; }

    public string NameId { get; init; } = "ada.lovelace@acme.example";

    /// <summary>The NameID Format; null leaves it out.</summary>
    public string? NameIdFormat { get; init; } = EmailAddressFormat;

    /// <summary>The AttributeStatement; null means the style's usual attributes, empty means none.</summary>
    public IReadOnlyList<TestSamlAttribute>? Attributes { get; init; }

    public string StatusCode { get; init; } = Success;

    /// <summary>Which elements to sign; null means the style's default (Okta both, Entra Assertion).</summary>
    public TestSignedParts? Sign { get; init; }

    public TestSignatureAlgorithm Algorithm { get; init; } = TestSignatureAlgorithm.RsaSha256;

    /// <summary>The key to sign with (a certificate with its private key); null means the IdP's own.
    /// Another one is how a stranger signs.</summary>
    public X509Certificate2? SigningCertificate { get; init; }

    /// <summary>Put the signing certificate in each signature's KeyInfo (IdPs do).</summary>
    public bool IncludeKeyInfo { get; init; } = true;

    /// <summary>Encrypt the Assertion (after signing it) to this certificate's public key.</summary>
    public X509Certificate2? EncryptFor { get; init; }

    public TestDataEncryption DataEncryption { get; init; } = TestDataEncryption.Aes256Gcm;

    public TestKeyTransport KeyTransport { get; init; } = TestKeyTransport.RsaOaepMgf1p;

    /// <summary>The clock "now" is read from when <see cref="IssueInstant"/> is not given.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>IssueInstant of the Response and the Assertion, and AuthnInstant.</summary>
    public DateTimeOffset? IssueInstant { get; init; }

    /// <summary>Conditions NotBefore; null means IssueInstant − 5 minutes.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Conditions NotOnOrAfter; null means IssueInstant + 5 minutes (Okta) or + 1 hour (Entra).</summary>
    public DateTimeOffset? NotOnOrAfter { get; init; }

    /// <summary>The bearer confirmation's NotOnOrAfter; null means IssueInstant + 5 minutes.</summary>
    public DateTimeOffset? ConfirmationNotOnOrAfter { get; init; }

    /// <summary>The AuthnStatement's SessionNotOnOrAfter; null leaves it out.</summary>
    public DateTimeOffset? SessionNotOnOrAfter { get; init; }

    /// <summary>Runs on the unsigned document, before anything is signed or encrypted.</summary>
    public Action<XmlDocument>? BeforeSigning { get; init; }

    /// <summary>Runs on every signature just before it is computed (add references, change
    /// transforms or algorithms), so the result is a genuinely signed oddity.</summary>
    public Action<SignedXml>? CustomizeSignature { get; init; }

    /// <summary>Runs on the finished document: where attacks edit signed messages.</summary>
    public Action<XmlDocument>? AfterSigning { get; init; }
}
