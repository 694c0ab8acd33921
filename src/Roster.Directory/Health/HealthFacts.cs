using Roster.Directory.Enterprises;
using Roster.Directory.Tokens;

namespace Roster.Directory.Health;

/// <summary>
/// What the store knows about an enterprise's SCIM connection at one moment: the raw material of the
/// diagnosis, read by <see cref="ConnectionHealth"/>, and constructed by hand in tests.
/// </summary>
/// <param name="IdentityProviders">The IdPs that called in the last 24 hours, busiest first, named from their User-Agent.</param>
/// <param name="LastClient">The User-Agent of the newest logged request (self-tests aside), whenever it came.</param>
/// <param name="LastRequestAt">The newest request: the newest logged one, or a token's newer last use (the log
/// keeps changes and failures, not successful reads).</param>
/// <param name="ByKind">The last 24 hours' logged requests (every change and failure) grouped by kind, most frequent first.</param>
/// <param name="Saml">Null when SAML is not configured.</param>
public sealed record HealthFacts(
    Enterprise Enterprise,
    DateTimeOffset Now,
    bool ScimEnabled,
    IReadOnlyList<string> IdentityProviders,
    string? LastClient,
    DateTimeOffset? LastRequestAt,
    IReadOnlyList<RequestKind> ByKind,
    IReadOnlyList<ScimToken> Tokens,
    SamlHealth? Saml)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public long Requests => ByKind.Sum(k => k.Count);
    public long Failures => ByKind.Where(k => k.Failed).Sum(k => k.Count);

    /// <summary>The IdP as the diagnosis names it: the busiest caller of the window, else the last one.</summary>
    public string IdentityProvider => IdentityProviders.Count > 0
        ? IdentityProviders[0]
        : LastClient is null ? "Your IdP" : Provisioning.IdentityProviderName.FromUserAgent(LastClient);
}

/// <summary>Requests of one kind in the window: their status, the SCIM error type or, for refused
/// authentication, the class of reason, and (for a refused token) which of the enterprise's tokens.</summary>
public sealed record RequestKind(int Status, string? ScimType, string Kind, bool Failed, long Count, DateTimeOffset LastAt, string? TokenId)
{
    public string Label => ScimType is null ? $"{Status} {Kind}" : $"{Status} {ScimType}";
}

/// <summary>The enterprise's SAML set-up as far as its health goes: whether it works and when its certificates expire.</summary>
public sealed record SamlHealth(bool Verified, IReadOnlyList<SamlCertificateExpiry> Certificates);

/// <param name="Owner">"idp" (the certificate responses are checked against) or "sp" (Roster's own, which signs requests).</param>
public sealed record SamlCertificateExpiry(string Owner, string ThumbprintSha256, DateTimeOffset NotAfter)
{
    public const string IdentityProvider = "idp";
    public const string ServiceProvider = "sp";
}
