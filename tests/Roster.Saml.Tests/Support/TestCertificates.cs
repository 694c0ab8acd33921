using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Roster.Saml.Tests.Support;

/// <summary>Certificates made for a test. RSA keys take a while to generate, so the ones that any test
/// may share are made once.</summary>
public static class TestCertificates
{
    static readonly Lazy<X509Certificate2> serviceProvider = new(() => ServiceProviderCertificates.Create("roster.example", new PinnedClock()));
    static readonly Lazy<X509Certificate2> other = new(() => Rsa("CN=Someone Else", 2048));

    /// <summary>An SP certificate with its private key, made by <see cref="ServiceProviderCertificates.Create"/>.</summary>
    public static X509Certificate2 ServiceProvider => serviceProvider.Value;

    /// <summary>An unrelated RSA certificate with its private key.</summary>
    public static X509Certificate2 Other => other.Value;

    public static X509Certificate2 Rsa(string subject, int bits)
    {
        using var rsa = RSA.Create(bits);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A quick ECDSA certificate valid over the given window (to the second).</summary>
    public static X509Certificate2 ValidUntil(string subject, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(notAfter.AddYears(-3), notAfter);
    }
}
