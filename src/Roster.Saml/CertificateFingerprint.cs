using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Roster.Saml;

/// <summary>How Roster shows a certificate's identity to people: the SHA-256 of its DER encoding in
/// upper-case hex pairs joined by colons, which is how Okta's admin console shows it, so an
/// administrator can compare the two by eye.</summary>
public static class CertificateFingerprint
{
    /// <summary>For example "AB:CD:…" (32 pairs).</summary>
    public static string Sha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var hash = SHA256.HashData(certificate.RawData);
        return string.Join(':', hash.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
