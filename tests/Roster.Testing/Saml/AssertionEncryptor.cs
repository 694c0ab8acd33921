using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;

namespace Roster.Testing.Saml;

/// <summary>
/// Replaces an Assertion by an EncryptedAssertion to a service provider's certificate: a fresh AES-256
/// key encrypts the Assertion's XML, and RSA carries the key. Okta's shape points from EncryptedData
/// to an EncryptedKey beside it (ds:RetrievalMethod); Entra's nests the EncryptedKey in KeyInfo.
/// </summary>
internal sealed class AssertionEncryptor(
    X509Certificate2 recipient, TestDataEncryption dataEncryption, TestKeyTransport keyTransport, SamlWireStyle style)
{
    public void Encrypt(XmlElement assertion)
    {
        var document = assertion.OwnerDocument;
        byte[] contentKey = RandomNumberGenerator.GetBytes(32);
        byte[] cipherData = EncryptData(contentKey, Encoding.UTF8.GetBytes(assertion.OuterXml));
        using var publicKey = recipient.GetRSAPublicKey() ?? throw new InvalidOperationException("The recipient certificate has no RSA key.");
        byte[] wrappedKey = publicKey.Encrypt(contentKey, Padding);

        bool okta = style == SamlWireStyle.Okta;
        string a = okta ? "saml2" : "", x = "xenc", d = okta ? "ds" : "";
        string dataId = "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string keyId = "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        var encryptedAssertion = document.CreateElement(a, "EncryptedAssertion", SamlNamespaces.Assertion).Declare(a, SamlNamespaces.Assertion);
        var encryptedData = encryptedAssertion.Add(x, "EncryptedData", SamlNamespaces.XmlEnc).Declare(x, SamlNamespaces.XmlEnc)
            .With("Id", okta ? dataId : null)
            .With("Type", SamlNamespaces.XmlEnc + "Element");
        encryptedData.Add(x, "EncryptionMethod", SamlNamespaces.XmlEnc).With("Algorithm", DataAlgorithm);
        var keyInfo = encryptedData.Add(d, "KeyInfo", SamlNamespaces.XmlDsig).Declare(d, SamlNamespaces.XmlDsig);

        XmlElement encryptedKey;
        if (okta)
        {
            keyInfo.Add(d, "RetrievalMethod", SamlNamespaces.XmlDsig)
                .With("Type", SamlNamespaces.XmlEnc + "EncryptedKey")
                .With("URI", "#" + keyId);
            AddCipherValue(encryptedData, x, cipherData);
            encryptedKey = encryptedAssertion.Add(x, "EncryptedKey", SamlNamespaces.XmlEnc).Declare(x, SamlNamespaces.XmlEnc).With("Id", keyId);
        }
        else
        {
            encryptedKey = keyInfo.Add("e", "EncryptedKey", SamlNamespaces.XmlEnc).Declare("e", SamlNamespaces.XmlEnc);
            AddCipherValue(encryptedData, x, cipherData);
        }
        string k = encryptedKey.Prefix;
        var method = encryptedKey.Add(k, "EncryptionMethod", SamlNamespaces.XmlEnc).With("Algorithm", KeyAlgorithm);
        if (keyTransport != TestKeyTransport.RsaPkcs1)
            method.Add(d, "DigestMethod", SamlNamespaces.XmlDsig).Declare(d, SamlNamespaces.XmlDsig)
                .With("Algorithm", keyTransport == TestKeyTransport.RsaOaepSha256 ? "http://www.w3.org/2001/04/xmlenc#sha256" : "http://www.w3.org/2000/09/xmldsig#sha1");
        if (keyTransport == TestKeyTransport.RsaOaepSha256)
            method.Add("xenc11", "MGF", SamlNamespaces.XmlEnc11).Declare("xenc11", SamlNamespaces.XmlEnc11).With("Algorithm", SamlNamespaces.XmlEnc11 + "mgf1sha256");
        encryptedKey.Add(d, "KeyInfo", SamlNamespaces.XmlDsig).Declare(d, SamlNamespaces.XmlDsig)
            .Add(d, "X509Data", SamlNamespaces.XmlDsig)
            .Add(d, "X509Certificate", SamlNamespaces.XmlDsig).Text(Convert.ToBase64String(recipient.RawData));
        AddCipherValue(encryptedKey, k, wrappedKey);
        if (okta)
            encryptedKey.Add(k, "ReferenceList", SamlNamespaces.XmlEnc).Add(k, "DataReference", SamlNamespaces.XmlEnc).With("URI", "#" + dataId);

        assertion.ParentNode!.ReplaceChild(encryptedAssertion, assertion);
    }

    private static void AddCipherValue(XmlElement parent, string prefix, byte[] value) =>
        parent.Add(prefix, "CipherData", SamlNamespaces.XmlEnc).Add(prefix, "CipherValue", SamlNamespaces.XmlEnc).Text(Convert.ToBase64String(value));

    private string DataAlgorithm => dataEncryption == TestDataEncryption.Aes256Gcm
        ? SamlNamespaces.XmlEnc11 + "aes256-gcm"
        : SamlNamespaces.XmlEnc + "aes256-cbc";

    private string KeyAlgorithm => keyTransport switch
    {
        TestKeyTransport.RsaOaepSha256 => SamlNamespaces.XmlEnc11 + "rsa-oaep",
        TestKeyTransport.RsaPkcs1 => SamlNamespaces.XmlEnc + "rsa-1_5",
        _ => SamlNamespaces.XmlEnc + "rsa-oaep-mgf1p",
    };

    private RSAEncryptionPadding Padding => keyTransport switch
    {
        TestKeyTransport.RsaOaepSha256 => RSAEncryptionPadding.OaepSHA256,
        TestKeyTransport.RsaPkcs1 => RSAEncryptionPadding.Pkcs1,
        _ => RSAEncryptionPadding.OaepSHA1,
    };

    /// <summary>GCM: nonce || ciphertext || tag. CBC: IV || ciphertext (PKCS #7 padding, which XML
    /// Encryption's padding rule accepts).</summary>
    private byte[] EncryptData(byte[] key, byte[] plaintext)
    {
        if (dataEncryption == TestDataEncryption.Aes256Gcm)
        {
            byte[] nonce = RandomNumberGenerator.GetBytes(12);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[16];
            using var gcm = new AesGcm(key, tag.Length);
            gcm.Encrypt(nonce, plaintext, ciphertext, tag);
            return [.. nonce, .. ciphertext, .. tag];
        }
        byte[] iv = RandomNumberGenerator.GetBytes(16);
        using var aes = Aes.Create();
        aes.Key = key;
        return [.. iv, .. aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7)];
    }
}
