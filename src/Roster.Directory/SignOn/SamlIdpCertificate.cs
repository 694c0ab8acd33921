using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Roster.Directory.SignOn;

/// <summary>
/// A certificate the IdP signs with, as PEM, with what an admin recognises it by (the SHA-256
/// thumbprint the IdP's console shows) and its validity. Responses are checked against these keys
/// only, never against a key a response carries.
/// </summary>
/// <param name="AddedAt">When it was first stored for the enterprise; null until it is.</param>
public sealed record SamlIdpCertificate(string Pem, string ThumbprintSha256, DateTimeOffset NotBefore, DateTimeOffset NotAfter, DateTimeOffset? AddedAt = null)
{
    /// <summary>Reads one X.509 certificate from PEM, or from the bare base64 of its DER (how SAML
    /// metadata carries it in ds:X509Certificate).</summary>
    /// <exception cref="RosterException">The text is not one certificate.</exception>
    public static SamlIdpCertificate FromPem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        X509Certificate2 certificate;
        try
        {
            certificate = trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(trimmed)
                : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(string.Concat(trimmed.Where(c => !char.IsWhiteSpace(c)))));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            throw new RosterException($"The IdP certificate cannot be read: {e.Message.TrimEnd('.')}. Give one X.509 certificate in PEM (-----BEGIN CERTIFICATE-----).");
        }
        using (certificate)
        {
            return new SamlIdpCertificate(
                certificate.ExportCertificatePem(),
                Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)),
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        }
    }
}
