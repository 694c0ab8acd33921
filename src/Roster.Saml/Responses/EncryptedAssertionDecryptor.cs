using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>
/// Step 7: an EncryptedAssertion to its Assertion, with the service provider's private key only.
/// The envelope is read by hand rather than with EncryptedXml, so nothing is ever resolved: no
/// RetrievalMethod is followed, no CipherReference fetched, no key looked up by name. Every failure
/// once the cryptography starts gives the same rejection, so the ACS is no padding or parsing oracle.
/// The plaintext goes through the same safe parser as the message.
/// </summary>
internal sealed class EncryptedAssertionDecryptor(X509Certificate2? serviceProviderCertificate, int maxBytes)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private sealed record Envelope(
        EncryptionAlgorithms.DataCipher Cipher, XmlElement DataCipherValue,
        RSAEncryptionPadding KeyPadding, XmlElement KeyCipherValue);

    /// <summary>The decrypted Assertion, the root of its own document.</summary>
    public XmlElement Decrypt(XmlElement encryptedAssertion)
    {
        using var key = serviceProviderCertificate?.GetRSAPrivateKey()
            ?? throw new SamlRejectedException(SamlRejectionReason.NoDecryptionKey,
                "The assertion is encrypted but the service provider has no RSA private key to decrypt it; configure the enterprise's SP certificate with its key.");
        var envelope = ReadEnvelope(encryptedAssertion);
        return TryDecrypt(envelope, key)
            ?? throw new SamlRejectedException(SamlRejectionReason.DecryptionFailed,
                "The EncryptedAssertion could not be decrypted into an Assertion with the service provider's key.");
    }

    private XmlElement? TryDecrypt(Envelope envelope, RSA key)
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

    /// <summary>The shape Okta, Entra and Shibboleth send: one EncryptedData of type Element, and one
    /// EncryptedKey either in its KeyInfo or beside it (then pointed at by a same-document
    /// RetrievalMethod, which is checked, never followed).</summary>
    private static Envelope ReadEnvelope(XmlElement encryptedAssertion)
    {
        var children = encryptedAssertion.ChildElements().ToList();
        var encryptedData = children.Where(c => c.Is(SamlNames.XmlEnc, "EncryptedData")).ToList();
        var siblingKeys = children.Where(c => c.Is(SamlNames.XmlEnc, "EncryptedKey")).ToList();
        if (encryptedData.Count != 1 || encryptedData.Count + siblingKeys.Count != children.Count)
            throw Disallowed("it must hold exactly one xenc:EncryptedData and at most an xenc:EncryptedKey beside it");
        var data = encryptedData[0];
        RequireOnly(data, EncryptedDataChildren);

        string? type = data.AttributeOrNull("Type");
        if (type is not null && type != EncryptionAlgorithms.ElementType)
            throw Disallowed($"EncryptedData has Type {DetailText.Quote(type)}; expected {EncryptionAlgorithms.ElementType}");
        string? dataAlgorithm = Algorithm(data);
        var cipher = EncryptionAlgorithms.Data(dataAlgorithm)
            ?? throw Disallowed($"the assertion is encrypted with {DetailText.Quote(dataAlgorithm)}; accepted: AES-GCM or AES-CBC");

        var keyInfo = SingleOrNone(data, SamlNames.XmlDsig, "KeyInfo");
        var keyInfoChildren = keyInfo?.ChildElements().ToList() ?? [];
        var keysInKeyInfo = keyInfoChildren.Where(c => c.Is(SamlNames.XmlEnc, "EncryptedKey")).ToList();
        var retrievals = keyInfoChildren.Where(c => c.Is(SamlNames.XmlDsig, "RetrievalMethod")).ToList();
        if (keyInfoChildren.Any(c => !c.Is(SamlNames.XmlEnc, "EncryptedKey") && !c.Is(SamlNames.XmlDsig, "RetrievalMethod") && !c.Is(SamlNames.XmlDsig, "KeyName")))
            throw Disallowed("EncryptedData's KeyInfo holds something other than an EncryptedKey, a RetrievalMethod or a KeyName");

        var keys = keysInKeyInfo.Concat(siblingKeys).ToList();
        if (keys.Count != 1)
            throw Disallowed($"it carries {keys.Count} EncryptedKey elements; exactly one is accepted");
        var encryptedKey = keys[0];
        RequireOnly(encryptedKey, EncryptedKeyChildren);
        RequireLocalRetrievals(encryptedAssertion, retrievals, encryptedKey);
        if (encryptedAssertion.DescendantElements().Any(e => e.Is(SamlNames.XmlEnc, "CipherReference")))
            throw Disallowed("it uses a CipherReference; only inline CipherValue is accepted");

        var keyMethod = SingleOrNone(encryptedKey, SamlNames.XmlEnc, "EncryptionMethod");
        if (keyMethod is not null) RequireOnly(keyMethod, KeyEncryptionMethodChildren);
        string? keyAlgorithm = keyMethod?.AttributeOrNull("Algorithm");
        if (keyAlgorithm == EncryptionAlgorithms.RsaPkcs1)
            throw Disallowed("its key is transported with RSA PKCS #1 v1.5 (rsa-1_5), which is open to padding-oracle attacks; configure the IdP for RSA-OAEP");
        if (keyMethod is not null && keyMethod.Children(EncryptionAlgorithms.XmlEnc11, "OAEPparams").Count + keyMethod.Children(SamlNames.XmlEnc, "OAEPparams").Count > 0)
            throw Disallowed("its RSA-OAEP key transport has OAEPparams, which are not supported");
        string? digest = keyMethod is null ? null : SingleOrNone(keyMethod, SamlNames.XmlDsig, "DigestMethod")?.AttributeOrNull("Algorithm");
        string? mask = keyMethod is null ? null : SingleOrNone(keyMethod, EncryptionAlgorithms.XmlEnc11, "MGF")?.AttributeOrNull("Algorithm");
        var padding = EncryptionAlgorithms.KeyTransport(keyAlgorithm, digest, mask)
            ?? throw Disallowed($"its key is transported with {DetailText.Quote(keyAlgorithm)} (digest {DetailText.Quote(digest)}, MGF {DetailText.Quote(mask)}); accepted: RSA-OAEP with one hash for digest and MGF1");

        return new Envelope(cipher, CipherValue(data), padding, CipherValue(encryptedKey));
    }

    /// <summary>Okta and Shibboleth point from EncryptedData to the EncryptedKey beside it. That pointer
    /// is tolerated only when it names that very EncryptedKey; it is never dereferenced.</summary>
    private static void RequireLocalRetrievals(XmlElement encryptedAssertion, List<XmlElement> retrievals, XmlElement encryptedKey)
    {
        var allRetrievals = encryptedAssertion.DescendantElements().Count(e => e.Is(SamlNames.XmlDsig, "RetrievalMethod"));
        if (allRetrievals != retrievals.Count || retrievals.Count > 1)
            throw Disallowed("it holds a RetrievalMethod other than one pointer from EncryptedData to its EncryptedKey");
        foreach (var retrieval in retrievals)
        {
            string? id = encryptedKey.AttributeOrNull("Id");
            string? uri = retrieval.AttributeOrNull("URI");
            if (retrieval.AttributeOrNull("Type") != EncryptionAlgorithms.EncryptedKeyType || string.IsNullOrEmpty(id) || uri != "#" + id)
                throw Disallowed($"its RetrievalMethod points to {DetailText.Quote(uri)}; only a pointer to the EncryptedKey in the same EncryptedAssertion is tolerated, and it is not followed");
        }
    }

    private static readonly (string Namespace, string Name)[] EncryptedDataChildren =
        [(SamlNames.XmlEnc, "EncryptionMethod"), (SamlNames.XmlDsig, "KeyInfo"), (SamlNames.XmlEnc, "CipherData"), (SamlNames.XmlEnc, "EncryptionProperties")];

    private static readonly (string Namespace, string Name)[] EncryptedKeyChildren =
        [.. EncryptedDataChildren, (SamlNames.XmlEnc, "ReferenceList"), (SamlNames.XmlEnc, "CarriedKeyName")];

    private static readonly (string Namespace, string Name)[] KeyEncryptionMethodChildren =
        [(SamlNames.XmlEnc, "KeySize"), (SamlNames.XmlEnc, "OAEPparams"), (EncryptionAlgorithms.XmlEnc11, "OAEPparams"),
         (SamlNames.XmlDsig, "DigestMethod"), (EncryptionAlgorithms.XmlEnc11, "MGF")];

    /// <summary>An element the envelope does not know could change its meaning (a KeyInfo in a
    /// lookalike namespace, say); refusing it keeps one reading of the envelope.</summary>
    private static void RequireOnly(XmlElement parent, (string Namespace, string Name)[] allowed)
    {
        var unknown = parent.ChildElements().FirstOrDefault(child => !allowed.Any(a => child.Is(a.Namespace, a.Name)));
        if (unknown is not null)
            throw Disallowed($"its {parent.LocalName} holds {unknown.Describe()}, which is not understood");
    }

    private static string? Algorithm(XmlElement encrypted) =>
        SingleOrNone(encrypted, SamlNames.XmlEnc, "EncryptionMethod")?.AttributeOrNull("Algorithm");

    private static XmlElement CipherValue(XmlElement encrypted)
    {
        var cipherData = SingleOrNone(encrypted, SamlNames.XmlEnc, "CipherData");
        return (cipherData is null ? null : SingleOrNone(cipherData, SamlNames.XmlEnc, "CipherValue"))
            ?? throw Disallowed($"its {encrypted.LocalName} has no CipherData/CipherValue");
    }

    private static XmlElement? SingleOrNone(XmlElement parent, string namespaceUri, string localName)
    {
        var found = parent.Children(namespaceUri, localName);
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw Disallowed($"its {parent.LocalName} holds {found.Count} {localName} elements"),
        };
    }

    private static SamlRejectedException Disallowed(string why) =>
        new(SamlRejectionReason.DisallowedEncryption, $"The EncryptedAssertion is refused: {why}.");
}
