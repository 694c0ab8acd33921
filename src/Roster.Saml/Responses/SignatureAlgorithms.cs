using System.Security.Cryptography;
using System.Security.Cryptography.Xml;

namespace Roster.Saml.Responses;

/// <summary>The allowlists of XML-DSig algorithms: what a signature may use, compared exactly.</summary>
internal static class SignatureAlgorithms
{
    public const string RsaSha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    public const string Sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";

    private static readonly Dictionary<string, HashAlgorithmName> StrongSignatureMethods = new(StringComparer.Ordinal)
    {
        [SignedXml.XmlDsigRSASHA256Url] = HashAlgorithmName.SHA256,
        [SignedXml.XmlDsigRSASHA384Url] = HashAlgorithmName.SHA384,
        [SignedXml.XmlDsigRSASHA512Url] = HashAlgorithmName.SHA512,
    };

    private static readonly HashSet<string> StrongDigestMethods = new(StringComparer.Ordinal)
    {
        SignedXml.XmlDsigSHA256Url,
        SignedXml.XmlDsigSHA384Url,
        SignedXml.XmlDsigSHA512Url,
    };

    /// <summary>The hash of an allowed RSA signature method, or null when it is not allowed.</summary>
    public static HashAlgorithmName? SignatureHash(string? signatureMethod, bool allowSha1)
    {
        if (signatureMethod is null) return null;
        if (StrongSignatureMethods.TryGetValue(signatureMethod, out var hash)) return hash;
        return allowSha1 && signatureMethod == RsaSha1 ? HashAlgorithmName.SHA1 : null;
    }

    public static bool IsAllowedDigest(string? digestMethod, bool allowSha1) =>
        digestMethod is not null && (StrongDigestMethods.Contains(digestMethod) || (allowSha1 && digestMethod == Sha1));

    public static string Allowed(bool allowSha1) =>
        allowSha1 ? "RSA with SHA-256, SHA-384, SHA-512 or SHA-1" : "RSA with SHA-256, SHA-384 or SHA-512";
}
