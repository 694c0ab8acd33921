namespace Roster.Saml.Responses;

/// <summary>
/// The per-enterprise knobs of Response validation. The defaults are the safe ones: SHA-1 refused,
/// IdP-initiated (unsolicited) sign-in refused, 2 minutes of clock skew, 1 MB messages.
/// </summary>
public sealed record SamlValidationPolicy
{
    /// <summary>Accept rsa-sha1 signatures and sha1 digests. Only for an IdP that cannot do better;
    /// the host should log that the enterprise opted in.</summary>
    public bool AllowSha1 { get; init; }

    /// <summary>Accept a Response that answers no AuthnRequest (no InResponseTo). Such a Response is
    /// not bound to the browser, which opens login CSRF; see saml.md §6.</summary>
    public bool AllowIdpInitiated { get; init; }

    /// <summary>How far the IdP's clock may be from ours when comparing validity windows.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How recent an unsolicited Response (and its Assertion) must be: its IssueInstant may be
    /// at most this old. Keeps the window for injecting a captured assertion short.</summary>
    public TimeSpan UnsolicitedMaxAge { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The largest decoded message, in bytes. Checked on the base64 length before decoding,
    /// so an oversized form value costs no allocation.</summary>
    public int MaxResponseBytes { get; init; } = 1_000_000;
}
