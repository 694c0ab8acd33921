using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;

namespace Roster.Saml.Responses;

/// <summary>
/// Tells the admin why a signature failed, after it has failed: either a configured certificate signed
/// SignedInfo and the content changed afterwards (<see cref="SamlRejectionReason.SignatureInvalid"/>),
/// or no configured certificate signed it at all (<see cref="SamlRejectionReason.UntrustedSigningKey"/>:
/// the IdP rolled its key, or someone else signed). This decides between two rejections only; it can
/// never accept anything.
/// </summary>
internal static class SignatureFailureDiagnosis
{
    public static SamlRejectedException Explain(
        SignedXml signedXml, IReadOnlyList<X509Certificate2> trusted, HashAlgorithmName hash, string which)
    {
        byte[]? signedInfo = CanonicalSignedInfo(signedXml);
        var signer = signedInfo is null ? null
            : trusted.FirstOrDefault(certificate => SignedInfoVerifies(certificate, signedInfo, signedXml.SignatureValue, hash));
        if (signer is not null)
            return new SamlRejectedException(SamlRejectionReason.SignatureInvalid,
                $"The {which} signature was made with the configured certificate {Thumbprint(signer)}, but the signed {which} no longer matches its digest: it was altered after signing.");

        string configured = string.Join(", ", trusted.Select(Thumbprint));
        var carried = KeyInfoCertificates(signedXml).Select(Thumbprint).ToList();
        string keyInfo = carried.Count == 0
            ? "its KeyInfo carries no certificate"
            : $"its KeyInfo carries the certificate {string.Join(", ", carried)}, which is not configured (KeyInfo is never trusted)";
        return new SamlRejectedException(SamlRejectionReason.UntrustedSigningKey,
            $"The {which} signature does not verify with any configured IdP signing certificate ({configured}); {keyInfo}. If the IdP rotated its key, update the enterprise's IdP certificate.");
    }

    /// <summary>SignedInfo canonicalized as the runtime does it: re-read on its own (the same safe
    /// parser) and passed through the signature's canonicalization method.</summary>
    private static byte[]? CanonicalSignedInfo(SignedXml signedXml)
    {
        try
        {
            string outerXml = signedXml.SignedInfo!.GetXml().OuterXml;
            var copy = SafeXml.Load(outerXml, outerXml.Length + 1L);
            var canonicalization = signedXml.SignedInfo.CanonicalizationMethodObject;
            canonicalization.LoadInput(copy);
            using var output = (Stream)canonicalization.GetOutput(typeof(Stream));
            using var bytes = new MemoryStream();
            output.CopyTo(bytes);
            return bytes.ToArray();
        }
        catch (Exception e) when (e is CryptographicException or System.Xml.XmlException or ArgumentException)
        {
            return null;
        }
    }

    private static bool SignedInfoVerifies(X509Certificate2 certificate, byte[] signedInfo, byte[]? signatureValue, HashAlgorithmName hash)
    {
        if (signatureValue is null) return false;
        using var key = certificate.GetRSAPublicKey();
        try
        {
            return key is not null && key.VerifyData(signedInfo, signatureValue, hash, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static IEnumerable<X509Certificate2> KeyInfoCertificates(SignedXml signedXml) =>
        signedXml.KeyInfo?.OfType<KeyInfoX509Data>()
            .SelectMany(data => data.Certificates?.OfType<X509Certificate2>() ?? [])
        ?? [];

    public static string Thumbprint(X509Certificate2 certificate) =>
        "SHA-256 " + certificate.GetCertHashString(HashAlgorithmName.SHA256);
}
