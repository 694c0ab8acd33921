using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Roster.Testing.Saml;

/// <summary>Self-signed RSA-2048 certificates like the ones IdPs (Okta: 10 years) and service providers
/// use for SAML: a key pair with a name, nothing more.</summary>
public static class TestCertificates
{
    /// <summary>A new certificate with its private key.</summary>
    public static X509Certificate2 CreateSelfSigned(string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        return request.CreateSelfSigned(notBefore, notBefore.AddYears(10));
    }

    /// <summary>The same certificate without its private key: what a peer's metadata carries.</summary>
    public static X509Certificate2 PublicOnly(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadCertificate(certificate.RawData);

    public static string ToPem(X509Certificate2 certificate) => certificate.ExportCertificatePem();
}
