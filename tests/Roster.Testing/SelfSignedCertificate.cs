using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Roster.Testing;

/// <summary>A throwaway self-signed RSA certificate and its key, as PEM: what an IdP's signing
/// certificate or an SP's key pair look like to code that stores them.</summary>
public sealed record SelfSignedCertificate(string CertificatePem, string PrivateKeyPem, string ThumbprintSha256)
{
    public static SelfSignedCertificate Create(string subject, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        using var certificate = request.CreateSelfSigned(from, notAfter ?? from.AddYears(5));
        return new SelfSignedCertificate(
            certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)));
    }
}
