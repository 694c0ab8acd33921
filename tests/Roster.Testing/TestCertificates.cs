using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Roster.Testing;

/// <summary>
/// Throwaway self-signed certificates with their private keys, like the ones IdPs (Okta: RSA-2048 for
/// 10 years) and service providers use for SAML, and the forms that code storing them reads: PEM and
/// the SHA-256 thumbprint.
/// </summary>
public static class TestCertificates
{
    /// <summary>A new RSA certificate for CN=<paramref name="commonName"/>, with its private key. Valid
    /// from a day ago for ten years, unless told otherwise (given only <paramref name="notAfter"/>: for
    /// the ten years up to it).</summary>
    public static X509Certificate2 CreateSelfSigned(string commonName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null,
        int rsaKeyBits = 2048)
    {
        using var key = RSA.Create(rsaKeyBits);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var (from, until) = Validity(notBefore, notAfter);
        return request.CreateSelfSigned(from, until);
    }

    /// <summary>As <see cref="CreateSelfSigned"/>, with an ECDSA P-256 key: far quicker to make than an
    /// RSA one, for tests that look only at a certificate's names and dates.</summary>
    public static X509Certificate2 CreateEcdsa(string commonName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var (from, until) = Validity(notBefore, notAfter);
        return request.CreateSelfSigned(from, until);
    }

    /// <summary>The same certificate without its private key: what a peer's metadata carries.</summary>
    public static X509Certificate2 PublicOnly(this X509Certificate2 certificate) =>
        X509CertificateLoader.LoadCertificate(certificate.RawData);

    public static string CertificatePem(this X509Certificate2 certificate) => certificate.ExportCertificatePem();

    /// <summary>The private key as PKCS #8 PEM.</summary>
    public static string PrivateKeyPem(this X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException("The certificate has no private key.", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The SHA-256 of the DER, in lower-case hex, as the directory stores it.</summary>
    public static string ThumbprintSha256(this X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    static (DateTimeOffset From, DateTimeOffset Until) Validity(DateTimeOffset? notBefore, DateTimeOffset? notAfter)
    {
        var from = notBefore ?? (notAfter is { } end ? end.AddYears(-10) : DateTimeOffset.UtcNow.AddDays(-1));
        return (from, notAfter ?? from.AddYears(10));
    }
}
