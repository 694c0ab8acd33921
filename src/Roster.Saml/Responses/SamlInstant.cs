using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>
/// SAML time values: xs:dateTime in UTC with a "Z" (SAML core §1.3.3). A value without a time zone would
/// be read in the server's local time, so it is refused, as is anything else that is not this shape.
/// Fractions of any length are accepted (Okta sends 3 digits, Entra 7, Java IdPs up to 9).
/// </summary>
internal static partial class SamlInstant
{
    [GeneratedRegex(@"^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,9}))?Z\z", RegexOptions.CultureInvariant)]
    private static partial Regex UtcDateTime();

    public static bool TryParse(string? value, out DateTimeOffset instant)
    {
        instant = default;
        if (value is null) return false;
        var match = UtcDateTime().Match(value);
        if (!match.Success) return false;
        if (!DateTime.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var seconds))
            return false;
        string fraction = match.Groups[2].Value.PadRight(7, '0')[..7];
        instant = new DateTimeOffset(DateTime.SpecifyKind(seconds, DateTimeKind.Utc)).AddTicks(long.Parse(fraction, CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>The attribute as an instant; a rejection when it is absent or malformed.</summary>
    public static DateTimeOffset Required(XmlElement element, string attribute, string where)
    {
        string? value = element.AttributeOrNull(attribute);
        return TryParse(value, out var instant) ? instant
            : throw new SamlRejectedException(SamlRejectionReason.InvalidTimestamp,
                $"{where} {attribute} is {DetailText.Quote(value)}; expected an xs:dateTime in UTC such as 2026-01-31T12:00:00Z.");
    }

    /// <summary>The attribute as an instant, null when absent; a rejection when malformed.</summary>
    public static DateTimeOffset? Optional(XmlElement element, string attribute, string where) =>
        element.GetAttributeNode(attribute) is null ? null : Required(element, attribute, where);

    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
