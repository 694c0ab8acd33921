namespace Roster.Directory.SignOn;

/// <summary>
/// What configuring SAML sets for an enterprise: Roster's side (the service provider), the IdP's, and
/// the options. <see cref="SamlConfigurations.SaveAsync"/> stores it.
/// </summary>
public sealed record SamlSettings(SamlServiceProvider ServiceProvider, SamlIdentityProvider IdentityProvider, SamlOptions Options);

/// <summary>
/// An enterprise's SAML configuration as stored: its settings, how many times it was saved
/// (<see cref="Revision"/>), and whether a test sign-in has succeeded against this IdP.
/// </summary>
public sealed record SamlConfiguration(
    string EnterpriseId,
    SamlServiceProvider ServiceProvider,
    SamlIdentityProvider IdentityProvider,
    SamlOptions Options,
    long Revision,
    DateTimeOffset ConfiguredAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? VerifiedAt,
    string? VerifiedNameId)
{
    /// <summary>A test sign-in succeeded against the IdP as it is configured now.</summary>
    public bool IsVerified => VerifiedAt is not null;

    public SamlSettings Settings => new(ServiceProvider, IdentityProvider, Options);
}

/// <summary>
/// Roster as the service provider of one enterprise. Fixed when SAML is first configured (the IdP is set
/// up with the entity id, the ACS URL and the certificate), so later saves keep the stored one.
/// </summary>
/// <param name="LoginUrl">Where a member starts a sign-in: the IdP's "Sign on URL" / "Initiate login
/// URI", and, with <c>?test=1</c>, the test sign-in that verifies the configuration.</param>
/// <param name="PrivateKeyPem">The key of <paramref name="CertificatePem"/>: a secret, never printed
/// (<see cref="ToString"/> leaves it out).</param>
public sealed record SamlServiceProvider(string EntityId, string AcsUrl, string LoginUrl, string CertificatePem, string PrivateKeyPem)
{
    /// <summary>The test sign-in: the login URL with <c>test=1</c>.</summary>
    public string TestSignInUrl => TestSignInUrlOf(LoginUrl);

    internal static string TestSignInUrlOf(string loginUrl) => loginUrl + (loginUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "test=1";

    // A record prints every property; this one must not reach a log with its private key.
    bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("EntityId = ").Append(EntityId).Append(", AcsUrl = ").Append(AcsUrl).Append(", LoginUrl = ").Append(LoginUrl)
            .Append(", PrivateKeyPem = (secret)");
        return true;
    }
}

/// <summary>The enterprise's identity provider: who it is, where members sign in, and the certificates
/// its responses are signed with (the current one and, during a rollover, the next: at most two).</summary>
/// <param name="MetadataXml">The IdP metadata the settings were read from; null when configured by hand.</param>
/// <param name="MetadataUrl">Where that metadata was fetched, when it was.</param>
public sealed record SamlIdentityProvider(
    string EntityId, string SsoUrl, IReadOnlyList<SamlIdpCertificate> Certificates, string? MetadataXml = null, string? MetadataUrl = null)
{
    public const int MaxCertificates = 2;

    /// <summary>The same IdP: entity id, SSO URL and set of certificates. A difference in any of them
    /// means that a sign-in through it has not been seen to work.</summary>
    public bool IsSameIdentityAs(SamlIdentityProvider other) =>
        EntityId == other.EntityId && SsoUrl == other.SsoUrl
        && Certificates.Select(c => c.ThumbprintSha256).ToHashSet(StringComparer.Ordinal).SetEquals(other.Certificates.Select(c => c.ThumbprintSha256));
}
