using System.Globalization;

namespace Roster.Directory.Identity;

/// <summary>
/// An email domain as Roster stores and compares it: lower-case ASCII (an internationalized name in its
/// IDNA form, so that "bücher.example" and "xn--bcher-kva.example" are one domain), at least two labels
/// of letters, digits and hyphens. A domain covers its subdomains: owning acme.com, an enterprise owns
/// eu.acme.com too.
/// </summary>
public static class EmailDomain
{
    static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>The stored form of what an admin typed ("@Acme.COM" → "acme.com").</summary>
    /// <exception cref="RosterException">It is not a domain name.</exception>
    public static string Normalize(string text)
    {
        var trimmed = text.Trim().TrimStart('@').TrimEnd('.');
        string ascii;
        try
        {
            ascii = Idn.GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            throw Invalid(text);
        }
        var labels = ascii.Split('.');
        if (ascii.Length > 253 || labels.Length < 2 || labels.Any(l => l.Length is 0 or > 63)) throw Invalid(text);
        return ascii;
    }

    /// <summary>The domain of an email address, normalized; null when the text is not an address.</summary>
    public static string? Of(string? address)
    {
        if (address is null) return null;
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1) return null;
        try
        {
            return Normalize(address[(at + 1)..]);
        }
        catch (RosterException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="domain"/> is one of <paramref name="owned"/> or below one.</summary>
    public static bool IsWithin(string domain, IEnumerable<string> owned) =>
        owned.Any(o => domain == o || domain.EndsWith("." + o, StringComparison.Ordinal));

    static RosterException Invalid(string text) =>
        new($"'{text}' is not an email domain: give a name such as acme.com (without the part before the @).");
}
