using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Roster.Saml;

/// <summary>
/// The SP's own key pair: a self-signed certificate that signs AuthnRequests and receives encrypted
/// assertions. Nobody validates its chain (IdPs pin the uploaded certificate), so self-signed is what
/// every SAML SP uses. Stored as PEM: the certificate, and the private key as unencrypted PKCS#8
/// (protecting it at rest is the store's job).
/// </summary>
public static class ServiceProviderCertificates
{
    /// <summary>3072-bit RSA: NIST's level for keys meant to last past 2030, which a 10-year
    /// certificate is, and still accepted by every IdP (Okta, Entra, Google and OneLogin take any
    /// RSA size from 2048 up).</summary>
    public const int RsaKeyBits = 3072;

    /// <summary>A new self-signed RSA certificate for CN=<paramref name="subjectCommonName"/>, valid
    /// from now (less five minutes of clock skew) for <paramref name="years"/> years, with its private key.</summary>
    public static X509Certificate2 Create(string subjectCommonName, TimeProvider clock, int years = 10)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectCommonName);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(years, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(years, 30);

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(subjectCommonName);

        using var rsa = RSA.Create(RsaKeyBits);
        var request = new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        // Signing (AuthnRequests) and key transport (the IdP encrypts the assertion's key to us).
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var now = clock.GetUtcNow();
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number, as RFC 5280 requires
        using var created = request.Create(subject.Build(), X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
            now.AddMinutes(-5), now.AddYears(years), serial);
        using var withKey = created.CopyWithPrivateKey(rsa);

        // Through PKCS#12 and back so the key belongs to the certificate object the way a loaded
        // certificate's does, not to the RSA instance disposed above; Exportable so ExportPem works.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>The certificate ("-----BEGIN CERTIFICATE-----") and its private key as PKCS#8
    /// ("-----BEGIN PRIVATE KEY-----").</summary>
    /// <exception cref="ArgumentException">The certificate has no RSA private key.</exception>
    public static (string CertificatePem, string PrivateKeyPem) ExportPem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var rsa = certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException($"The certificate {certificate.Subject} has no RSA private key to export.", nameof(certificate));
        return (certificate.ExportCertificatePem(), rsa.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The certificate with its private key, from what <see cref="ExportPem"/> wrote (the key
    /// may also be PKCS#1, "-----BEGIN RSA PRIVATE KEY-----").</summary>
    /// <exception cref="ArgumentException">Not PEM, not RSA, or the key is not the certificate's.</exception>
    public static X509Certificate2 Import(string certificatePem, string privateKeyPem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificatePem);
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKeyPem);

        X509Certificate2 loaded;
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            using var rsa = RSA.Create();
            rsa.ImportFromPem(privateKeyPem);
            // CopyWithPrivateKey refuses a key that does not match the certificate's public key.
            using var withKey = certificate.CopyWithPrivateKey(rsa);
            loaded = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"The SP certificate and private key could not be loaded: {e.Message}", e);
        }
        return loaded;
    }
}
