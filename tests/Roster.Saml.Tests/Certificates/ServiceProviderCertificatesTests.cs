using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Roster.Saml.Tests.Certificates;

public sealed class ServiceProviderCertificatesTests
{
    [Fact]
    public void A_new_certificate_is_self_signed_rsa_3072_for_ten_years_with_a_usable_private_key()
    {
        var certificate = SamlTestBed.SpCertificate; // ServiceProviderCertificates.Create("acme.roster.example", SamlTestBed.Clock)

        Assert.Equal("CN=acme.roster.example", certificate.Subject);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        Assert.Equal(SamlTestBed.Now.AddMinutes(-5).UtcDateTime, certificate.NotBefore.ToUniversalTime());
        Assert.Equal(SamlTestBed.Now.AddYears(10).UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.Equal("sha256RSA", certificate.SignatureAlgorithm.FriendlyName);
        using var publicKey = certificate.GetRSAPublicKey()!;
        Assert.Equal(3072, publicKey.KeySize);
        Assert.True(certificate.HasPrivateKey);
        using var privateKey = certificate.GetRSAPrivateKey()!;
        var data = Encoding.UTF8.GetBytes("SAMLRequest=…");
        Assert.True(publicKey.VerifyData(data, privateKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, usage.KeyUsages);
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.True(certificate.GetSerialNumber()[^1] < 0x80); // little-endian: the top byte keeps the serial positive
    }

    [Fact]
    public void Years_sets_the_validity_and_nonsense_is_refused()
    {
        var clock = SamlTestBed.Clock;
        using var twoYears = ServiceProviderCertificates.Create("roster.example", clock, years: 2);

        Assert.Equal(SamlTestBed.Now.AddYears(2).UtcDateTime, twoYears.NotAfter.ToUniversalTime());
        Assert.Throws<ArgumentOutOfRangeException>(() => ServiceProviderCertificates.Create("roster.example", clock, years: 0));
        Assert.Throws<ArgumentException>(() => ServiceProviderCertificates.Create(" ", clock));
    }

    [Fact]
    public void Pem_export_and_import_give_back_the_same_certificate_with_a_working_key()
    {
        var (certificatePem, privateKeyPem) = ServiceProviderCertificates.ExportPem(SamlTestBed.SpCertificate);

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", certificatePem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", privateKeyPem, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", certificatePem, StringComparison.Ordinal);
        using var imported = ServiceProviderCertificates.Import(certificatePem, privateKeyPem);
        Assert.Equal(SamlTestBed.SpCertificate.Thumbprint, imported.Thumbprint);
        Assert.True(imported.HasPrivateKey);
        // The imported key signs, and the original certificate's public key verifies it.
        using var importedKey = imported.GetRSAPrivateKey()!;
        using var originalPublicKey = SamlTestBed.SpCertificate.GetRSAPublicKey()!;
        var data = Encoding.UTF8.GetBytes("round trip");
        Assert.True(originalPublicKey.VerifyData(data, importedKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        // And it exports again (a key that cannot be exported could not be stored).
        Assert.Equal(privateKeyPem, ServiceProviderCertificates.ExportPem(imported).PrivateKeyPem);
    }

    [Fact]
    public void Import_accepts_a_pkcs1_rsa_key()
    {
        var (certificatePem, _) = ServiceProviderCertificates.ExportPem(SamlTestBed.SpCertificate);
        using var key = SamlTestBed.SpCertificate.GetRSAPrivateKey()!;

        using var imported = ServiceProviderCertificates.Import(certificatePem, key.ExportRSAPrivateKeyPem());

        Assert.True(imported.HasPrivateKey);
    }

    [Fact]
    public void Import_refuses_a_key_that_is_not_the_certificates()
    {
        var (certificatePem, _) = ServiceProviderCertificates.ExportPem(SamlTestBed.SpCertificate);
        var (_, otherKeyPem) = ServiceProviderCertificates.ExportPem(SamlTestBed.Stranger);

        var error = Assert.Throws<ArgumentException>(() => ServiceProviderCertificates.Import(certificatePem, otherKeyPem));

        Assert.StartsWith("The SP certificate and private key could not be loaded:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_refuses_text_that_is_not_pem()
    {
        var (_, keyPem) = ServiceProviderCertificates.ExportPem(SamlTestBed.SpCertificate);

        Assert.Throws<ArgumentException>(() => ServiceProviderCertificates.Import("not a certificate", keyPem));
    }

    [Fact]
    public void Export_refuses_a_certificate_without_a_private_key()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(SamlTestBed.SpCertificate.RawData);

        Assert.Throws<ArgumentException>("certificate", () => ServiceProviderCertificates.ExportPem(publicOnly));
    }
}
