using System.Security.Cryptography;

namespace Roster.Saml.Tests.Certificates;

public sealed class CertificateFingerprintTests
{
    [Fact]
    public void Sha256_is_upper_case_hex_pairs_joined_by_colons_as_okta_shows_it()
    {
        var certificate = SamlTestBed.Stranger;

        var fingerprint = CertificateFingerprint.Sha256(certificate);

        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", fingerprint);
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256), fingerprint.Replace(":", "", StringComparison.Ordinal));
    }
}
