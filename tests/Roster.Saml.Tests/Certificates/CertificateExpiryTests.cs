using Roster.Testing;

namespace Roster.Saml.Tests.Certificates;

public sealed class CertificateExpiryTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Expired_and_soon_expiring_certificates_are_warned_about_soonest_first()
    {
        using var soon = TestCertificates.CreateEcdsa("soon", notAfter: Now.AddDays(12).AddHours(3));
        using var expired = TestCertificates.CreateEcdsa("expired", notAfter: Now.AddDays(-3).AddHours(-1));
        using var later = TestCertificates.CreateEcdsa("later", notAfter: Now.AddDays(400));

        var warnings = CertificateExpiry.Warnings([soon, later, expired], Now, TimeSpan.FromDays(30));

        Assert.Equal(2, warnings.Count);
        Assert.Same(expired, warnings[0].Certificate);
        Assert.True(warnings[0].Expired);
        Assert.Equal(Now.AddDays(-3).AddHours(-1), warnings[0].NotAfter);
        Assert.Equal($"The IdP signing certificate CN=expired, SHA-256 {CertificateFingerprint.Sha256(expired)}, expired on 2026-11-25 (3 days ago).", warnings[0].Message);
        Assert.Same(soon, warnings[1].Certificate);
        Assert.False(warnings[1].Expired);
        Assert.Equal(Now.AddDays(12).AddHours(3), warnings[1].NotAfter);
        Assert.Equal($"The IdP signing certificate CN=soon, SHA-256 {CertificateFingerprint.Sha256(soon)}, expires on 2026-12-10 (in 12 days).", warnings[1].Message);
    }

    [Theory]
    [InlineData(0.5, false, "expires on 2026-11-28 (in less than a day).")]
    [InlineData(1.2, false, "expires on 2026-11-29 (in 1 day).")]
    [InlineData(30, false, "expires on 2026-12-28 (in 30 days).")]
    [InlineData(0, true, "expired on 2026-11-28 (less than a day ago).")]
    [InlineData(-1.5, true, "expired on 2026-11-26 (1 day ago).")]
    public void Messages_count_whole_days(double days, bool expired, string expectedEnd)
    {
        using var certificate = TestCertificates.CreateEcdsa("edge", notAfter: Now.AddDays(days));

        var warning = Assert.Single(CertificateExpiry.Warnings([certificate], Now, TimeSpan.FromDays(30), "SP certificate"));

        Assert.Equal(expired, warning.Expired);
        Assert.StartsWith("The SP certificate CN=edge, SHA-256 ", warning.Message, StringComparison.Ordinal);
        Assert.EndsWith(expectedEnd, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_expiring_just_after_the_window_is_not_warned_about()
    {
        using var certificate = TestCertificates.CreateEcdsa("edge", notAfter: Now.AddDays(30).AddSeconds(1));

        Assert.Empty(CertificateExpiry.Warnings([certificate], Now, TimeSpan.FromDays(30)));
    }
}
