using System.Text;

namespace Roster.Saml.Responses;

/// <summary>Step 1 and 2: the SAMLResponse form value (HTTP-POST binding: base64, not deflated) to XML
/// text, with the size checked on the base64 length before anything is decoded.</summary>
internal static class ResponseField
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(string? field, int maxBytes)
    {
        if (string.IsNullOrEmpty(field))
            throw new SamlRejectedException(SamlRejectionReason.NotBase64, "The SAMLResponse form value is empty.");

        long maxBase64Length = (maxBytes + 2L) / 3 * 4;
        if (field.Length > maxBase64Length)
            throw new SamlRejectedException(SamlRejectionReason.TooLarge,
                $"The SAMLResponse form value has {field.Length} characters; at most {maxBase64Length} (a {maxBytes}-byte message) are accepted.");

        var bytes = new byte[field.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(field, bytes, out int length))
            throw new SamlRejectedException(SamlRejectionReason.NotBase64, "The SAMLResponse form value is not base64.");
        if (length > maxBytes)
            throw new SamlRejectedException(SamlRejectionReason.TooLarge,
                $"The decoded SAMLResponse has {length} bytes; at most {maxBytes} are accepted.");

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw new SamlRejectedException(SamlRejectionReason.NotUtf8, "The decoded SAMLResponse is not UTF-8 text.");
        }
        // A byte-order mark is legal UTF-8 but not XML content once decoded to a string.
        return text.StartsWith('\uFEFF') ? text[1..] : text;
    }
}
