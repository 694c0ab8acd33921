using System.Globalization;

namespace Roster.Scim.Filtering;

/// <summary>
/// Reading SCIM dateTime values (RFC 7643 §2.3.5, xsd:dateTime). Values are compared as instants rather
/// than as text, so "2011-05-13T04:42:34Z" equals "2011-05-13T06:42:34+02:00" and fractional seconds
/// order correctly. A value without an offset is taken as UTC.
/// </summary>
internal static class ScimDateTimes
{
    public static bool TryParse(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);
}
