using System.Security.Cryptography.X509Certificates;

namespace Roster.Saml;

/// <summary>
/// What Roster takes from an identity provider's SAML 2.0 metadata: who it is, where to send
/// AuthnRequests, and the certificates its signatures must verify with. The certificates are public
/// only; they become the enterprise's pinned keys (see <see cref="IdentityProviderSettings"/>).
/// </summary>
public sealed record IdentityProviderMetadata
{
    /// <summary>The longest metadata document read, in characters. One IdP's metadata is a few tens of
    /// kilobytes (Entra's, with its WS-Federation roles, is among the largest); a bigger document is a
    /// federation aggregate or not metadata at all.</summary>
    public const int MaxCharacters = 1024 * 1024;

    public required string EntityId { get; init; }

    /// <summary>Every SingleSignOnService the IdP offers, binding URI → Location (the first one when
    /// a binding is listed twice, since metadata order is the IdP's preference).</summary>
    public required IReadOnlyDictionary<string, Uri> SingleSignOnUrls { get; init; }

    /// <summary>The SingleSignOnService for the HTTP-Redirect binding: the one Roster sends
    /// AuthnRequests to (Entra accepts AuthnRequests only over HTTP-Redirect).</summary>
    public required Uri RedirectSingleSignOnUrl { get; init; }

    /// <summary>The certificates of every KeyDescriptor with use="signing" or no use, public keys only,
    /// each once (by SHA-256 thumbprint), in document order. Two during an IdP key rollover.</summary>
    public required IReadOnlyList<X509Certificate2> SigningCertificates { get; init; }

    public bool WantAuthnRequestsSigned { get; init; }

    /// <summary>The earliest validUntil of the EntityDescriptor, its IDPSSODescriptor and any enclosing
    /// EntitiesDescriptor; null when none says.</summary>
    public DateTimeOffset? ValidUntil { get; init; }

    public IdentityProviderSettings ToSettings() => new()
    {
        EntityId = EntityId,
        SingleSignOnUrl = RedirectSingleSignOnUrl,
        SigningCertificates = SigningCertificates,
    };

    /// <summary>Reads IdP metadata (an EntityDescriptor, or an EntitiesDescriptor holding exactly one
    /// IdP), refusing it as expired against the system clock.</summary>
    /// <exception cref="SamlMetadataException">The document is not usable IdP metadata; the message says why.</exception>
    public static IdentityProviderMetadata Parse(string xml) => Parse(xml, TimeProvider.System);

    /// <inheritdoc cref="Parse(string)"/>
    public static IdentityProviderMetadata Parse(string xml, TimeProvider clock) =>
        IdentityProviderMetadataReader.Read(xml, clock.GetUtcNow());
}
