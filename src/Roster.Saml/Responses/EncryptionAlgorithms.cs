using System.Security.Cryptography;

namespace Roster.Saml.Responses;

/// <summary>The allowlists of XML Encryption algorithms: AES-GCM or AES-CBC for the assertion, RSA-OAEP
/// for its key. rsa-1_5 key transport is refused (Bleichenbacher); nothing else is understood.</summary>
internal static class EncryptionAlgorithms
{
    public const string XmlEnc11 = "http://www.w3.org/2009/xmlenc11#";
    public const string ElementType = SamlNames.XmlEnc + "Element";
    public const string EncryptedKeyType = SamlNames.XmlEnc + "EncryptedKey";
    public const string RsaPkcs1 = SamlNames.XmlEnc + "rsa-1_5";
    public const string RsaOaepMgf1p = SamlNames.XmlEnc + "rsa-oaep-mgf1p";
    public const string RsaOaep = XmlEnc11 + "rsa-oaep";

    public sealed record DataCipher(bool Gcm, int KeyBytes);

    private static readonly Dictionary<string, DataCipher> DataCiphers = new(StringComparer.Ordinal)
    {
        [XmlEnc11 + "aes128-gcm"] = new(Gcm: true, 16),
        [XmlEnc11 + "aes192-gcm"] = new(Gcm: true, 24),
        [XmlEnc11 + "aes256-gcm"] = new(Gcm: true, 32),
        [SamlNames.XmlEnc + "aes128-cbc"] = new(Gcm: false, 16),
        [SamlNames.XmlEnc + "aes192-cbc"] = new(Gcm: false, 24),
        [SamlNames.XmlEnc + "aes256-cbc"] = new(Gcm: false, 32),
    };

    private static readonly Dictionary<string, HashAlgorithmName> Digests = new(StringComparer.Ordinal)
    {
        ["http://www.w3.org/2000/09/xmldsig#sha1"] = HashAlgorithmName.SHA1,
        ["http://www.w3.org/2001/04/xmlenc#sha256"] = HashAlgorithmName.SHA256,
        ["http://www.w3.org/2001/04/xmldsig-more#sha384"] = HashAlgorithmName.SHA384,
        ["http://www.w3.org/2001/04/xmlenc#sha512"] = HashAlgorithmName.SHA512,
    };

    private static readonly Dictionary<string, HashAlgorithmName> MaskGenerations = new(StringComparer.Ordinal)
    {
        [XmlEnc11 + "mgf1sha1"] = HashAlgorithmName.SHA1,
        [XmlEnc11 + "mgf1sha256"] = HashAlgorithmName.SHA256,
        [XmlEnc11 + "mgf1sha384"] = HashAlgorithmName.SHA384,
        [XmlEnc11 + "mgf1sha512"] = HashAlgorithmName.SHA512,
    };

    public static DataCipher? Data(string? algorithm) =>
        algorithm is not null && DataCiphers.TryGetValue(algorithm, out var cipher) ? cipher : null;

    /// <summary>The OAEP padding for a key transport method, its DigestMethod and its MGF (absent means
    /// SHA-1 for both, per XML Encryption), or null when it is not one the runtime can do: the runtime's
    /// OAEP uses one hash for the label and MGF1.</summary>
    public static RSAEncryptionPadding? KeyTransport(string? algorithm, string? digestMethod, string? maskGeneration)
    {
        HashAlgorithmName digest = HashAlgorithmName.SHA1;
        if (digestMethod is not null && !Digests.TryGetValue(digestMethod, out digest)) return null;

        HashAlgorithmName mask;
        switch (algorithm)
        {
            case RsaOaepMgf1p when maskGeneration is null:
                mask = HashAlgorithmName.SHA1;
                break;
            case RsaOaep:
                mask = HashAlgorithmName.SHA1;
                if (maskGeneration is not null && !MaskGenerations.TryGetValue(maskGeneration, out mask)) return null;
                break;
            default:
                return null;
        }
        return digest == mask ? RSAEncryptionPadding.CreateOaep(digest) : null;
    }
}
