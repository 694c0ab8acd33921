using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>
/// Step 7: an EncryptedAssertion to its Assertion, with the service provider's private key only, from
/// an envelope read by <see cref="EncryptionEnvelope"/> (never by EncryptedXml, which resolves keys and
/// references). Every failure once the cryptography starts gives the same rejection, so the ACS is no
/// padding or parsing oracle. The plaintext goes through the same safe parser as the message.
/// </summary>
internal sealed class EncryptedAssertionDecryptor(X509Certificate2? serviceProviderCertificate, int maxBytes)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The decrypted Assertion, the root of its own document.</summary>
    public XmlElement Decrypt(XmlElement encryptedAssertion)
    {
        using var key = serviceProviderCertificate?.GetRSAPrivateKey()
            ?? throw new SamlRejectedException(SamlRejectionReason.NoDecryptionKey,
                "The assertion is encrypted but the service provider has no RSA private key to decrypt it; configure the enterprise's SP certificate with its key.");
        var envelope = EncryptionEnvelope.Read(encryptedAssertion);
        return TryDecrypt(envelope, key)
            ?? throw new SamlRejectedException(SamlRejectionReason.DecryptionFailed,
                "The EncryptedAssertion could not be decrypted into an Assertion with the service provider's key.");
    }

    private XmlElement? TryDecrypt(EncryptionEnvelope envelope, RSA key)
    {
        try
        {
            byte[] contentKey = key.Decrypt(Convert.FromBase64String(envelope.KeyCipherValue.InnerText), envelope.KeyPadding);
            if (contentKey.Length != envelope.Cipher.KeyBytes) return null;
            byte[] data = Convert.FromBase64String(envelope.DataCipherValue.InnerText);
            byte[]? plaintext = envelope.Cipher.Gcm ? DecryptGcm(contentKey, data) : DecryptCbc(contentKey, data);
            if (plaintext is null || plaintext.Length > maxBytes) return null;

            string xml = StrictUtf8.GetString(plaintext);
            var document = SafeXml.Load(xml.StartsWith('\uFEFF') ? xml[1..] : xml, maxBytes);
            var assertion = document.DocumentElement;
            return assertion is not null && assertion.Is(SamlNames.Assertion, "Assertion") ? assertion : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or XmlException or DecoderFallbackException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>IV (12 bytes) || ciphertext || tag (16 bytes), XML Encryption 1.1 §5.2.4.</summary>
    private static byte[]? DecryptGcm(byte[] contentKey, byte[] data)
    {
        const int nonceBytes = 12, tagBytes = 16;
        if (data.Length < nonceBytes + tagBytes) return null;
        var plaintext = new byte[data.Length - nonceBytes - tagBytes];
        using var gcm = new AesGcm(contentKey, tagBytes);
        gcm.Decrypt(data.AsSpan(0, nonceBytes), data.AsSpan(nonceBytes, plaintext.Length), data.AsSpan(data.Length - tagBytes), plaintext);
        return plaintext;
    }

    /// <summary>IV (16 bytes) || ciphertext. XML Encryption pads with arbitrary bytes and a final length
    /// byte, which is ISO 10126 (and also accepts PKCS #7).</summary>
    private static byte[]? DecryptCbc(byte[] contentKey, byte[] data)
    {
        const int blockBytes = 16;
        if (data.Length < 2 * blockBytes || data.Length % blockBytes != 0) return null;
        using var aes = Aes.Create();
        aes.Key = contentKey;
        return aes.DecryptCbc(data.AsSpan(blockBytes), data.AsSpan(0, blockBytes), PaddingMode.ISO10126);
    }
}
