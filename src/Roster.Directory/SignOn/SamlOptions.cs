using Roster.Directory.Identity;

namespace Roster.Directory.SignOn;

/// <summary>How an enterprise's SAML sign-in behaves. <see cref="Default"/> is the safe choice for every
/// switch: SP-initiated only, SHA-256 or better, signed AuthnRequests.</summary>
/// <param name="WantAssertionsSigned">Require the Assertion's own signature. Off by default: a signed
/// Response covers its assertion just as well, and IdPs differ in what they sign (Okta both, Entra ID
/// the assertion, OneLogin and Google either, as their admin chose); a Response in which neither
/// verifies is refused either way.</param>
/// <param name="AllowIdpInitiated">Accept unsolicited responses (the IdP's app tile).</param>
/// <param name="AllowSha1">Accept RSA-SHA1 signatures and SHA-1 digests from an IdP that cannot do better.</param>
/// <param name="MatchBy">Which member a NameID names: the enterprise's link key (<see cref="LinkKey"/>:
/// userName, email or externalId), the one setting that also ties the IdP's SCIM users to existing
/// members. It is stored with the linking rule, not with SAML, so that the two can never disagree.</param>
/// <param name="JitProvisioning">Create a member at first sign-in. Only while SCIM is off: with SCIM
/// on, the IdP's SCIM client alone creates members.</param>
public sealed record SamlOptions(
    bool AllowIdpInitiated = false,
    bool AllowSha1 = false,
    bool SignAuthnRequests = true,
    bool WantAssertionsSigned = false,
    string MatchBy = LinkKey.UserName,
    bool JitProvisioning = false)
{
    public static readonly SamlOptions Default = new();
}
