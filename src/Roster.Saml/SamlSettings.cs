using System.Security.Cryptography.X509Certificates;

namespace Roster.Saml;

/// <summary>The identity provider one enterprise trusts: where to send people to sign in, who it says
/// it is, and the only keys its signatures may verify with (a message's own KeyInfo is never trusted).
/// Two signing certificates may be active at once while the IdP rolls its key over.</summary>
public sealed record IdentityProviderSettings
{
    public required string EntityId { get; init; }

    /// <summary>The IdP's single sign-on endpoint for the HTTP-Redirect binding.</summary>
    public required Uri SingleSignOnUrl { get; init; }

    public required IReadOnlyList<X509Certificate2> SigningCertificates { get; init; }
}

/// <summary>Roster as the service provider of one enterprise. Entity ID and ACS URL are compared
/// ordinally and exactly with what a Response says (Audience, Destination, Recipient).</summary>
public sealed record ServiceProviderSettings
{
    public required string EntityId { get; init; }

    public required string AssertionConsumerServiceUrl { get; init; }

    /// <summary>The SP's key pair (with its private key): signs AuthnRequests when
    /// <see cref="SignAuthnRequests"/> is on and decrypts encrypted assertions.</summary>
    public X509Certificate2? Certificate { get; init; }

    public bool SignAuthnRequests { get; init; }

    /// <summary>Refuse a Response whose Assertion is not itself signed, even when the Response is.</summary>
    public bool WantAssertionsSigned { get; init; }
}
