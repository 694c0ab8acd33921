using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace Roster.Saml;

/// <summary>
/// Warns before a certificate's NotAfter. SAML keys keep verifying after their certificate expires
/// (metadata pins keys, not trust chains), but IdPs rotate on expiry and many refuse an expired SP
/// certificate, so the date is when sign-in breaks if nobody acts.
/// </summary>
public static class CertificateExpiry
{
    /// <summary>A warning for each certificate that has expired or expires within <paramref name="within"/>
    /// of <paramref name="now"/>, soonest first. <paramref name="description"/> names what the
    /// certificates are in the message ("IdP signing certificate", "SP certificate", …).</summary>
    public static IReadOnlyList<ExpiryWarning> Warnings(IEnumerable<X509Certificate2> certificates, DateTimeOffset now, TimeSpan within,
        string description = "IdP signing certificate")
    {
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentOutOfRangeException.ThrowIfLessThan(within, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);

        var warnings = new List<ExpiryWarning>();
        foreach (var certificate in certificates)
        {
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var remaining = notAfter - now;
            if (remaining > within) continue;
            var expired = remaining <= TimeSpan.Zero;
            warnings.Add(new ExpiryWarning(certificate, notAfter, expired, Message(certificate, description, notAfter, remaining, expired)));
        }
        return warnings.OrderBy(w => w.NotAfter).ToList();
    }

    static string Message(X509Certificate2 certificate, string description, DateTimeOffset notAfter, TimeSpan remaining, bool expired)
    {
        var date = notAfter.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var identity = $"The {description} {certificate.Subject}, SHA-256 {CertificateFingerprint.Sha256(certificate)},";
        return expired
            ? $"{identity} expired on {date} ({Days(-remaining)} ago)."
            : $"{identity} expires on {date} (in {Days(remaining)}).";
    }

    /// <summary>Whole days, rounded down: "in 12 days" must not become 13 on the morning of the 12th.</summary>
    static string Days(TimeSpan span)
    {
        var days = (int)Math.Floor(span.TotalDays);
        return days switch
        {
            0 => "less than a day",
            1 => "1 day",
            _ => $"{days} days",
        };
    }
}
