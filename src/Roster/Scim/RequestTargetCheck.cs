using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Roster.Scim.Errors;

namespace Roster.Scim;

/// <summary>
/// The URL of a SCIM request as the client sent it, checked before anything reads its path or query:
/// percent-escapes must decode to UTF-8 without NUL. ASP.NET Core would otherwise turn an invalid byte
/// into U+FFFD (a filter would then match something else than was asked) or pass NUL on to the
/// database, which PostgreSQL refuses.
/// </summary>
internal static class RequestTargetCheck
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="ScimException">400 invalidSyntax for bytes that are not UTF-8, invalidValue for NUL.</exception>
    public static void Check(HttpContext http)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target)) target = http.Request.Path.Value + http.Request.QueryString.Value;
        string decoded;
        try
        {
            decoded = Strict.GetString(PercentDecode(target));
        }
        catch (DecoderFallbackException)
        {
            throw ScimException.InvalidSyntax("The request URL holds percent-escapes that are not UTF-8.");
        }
        if (decoded.Contains('\0'))
            throw ScimException.InvalidValue("The request URL holds a NUL character (%00); no SCIM id, filter or parameter may.");
    }

    static byte[] PercentDecode(string text)
    {
        var bytes = new List<byte>(text.Length);
        var literal = 0; // start of the run of characters since the last escape
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[literal..i]));
                bytes.Add((byte)Convert.ToInt32(text.Substring(i + 1, 2), 16));
                i += 2;
                literal = i + 1;
            }
        }
        bytes.AddRange(Encoding.UTF8.GetBytes(text[literal..]));
        return bytes.ToArray();
    }

    static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
