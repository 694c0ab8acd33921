using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>
/// Verifies one enveloped ds:Signature of the Response or the Assertion: one reference, to the
/// element that holds the signature and to nothing else; allowlisted transforms, canonicalization and
/// algorithms; and a key from the IdP's configured certificates only. KeyInfo is never trusted: it is
/// read only to explain a failure.
/// </summary>
internal sealed class XmlSignatureVerifier(IReadOnlyList<X509Certificate2> trustedCertificates, bool allowSha1)
{
    /// <param name="signature">The ds:Signature, a direct child of <paramref name="signedElement"/>.</param>
    /// <param name="which">"Response" or "Assertion", for details.</param>
    public VerifiedSignature Verify(XmlElement signature, XmlElement signedElement, string which)
    {
        var signedXml = Load(signature, signedElement.OwnerDocument, which);
        var reference = SingleReferenceToParent(signedXml, signedElement, which);
        RequireAllowedTransforms(reference, which);
        RequireExclusiveCanonicalization(signedXml, which);
        var hash = RequireAllowedAlgorithms(signedXml, reference, which);

        foreach (var certificate in trustedCertificates)
        {
            if (VerifiesWith(signedXml, certificate))
                return new VerifiedSignature(signedElement, signedXml.SignatureMethod!);
        }
        throw SignatureFailureDiagnosis.Explain(signedXml, trustedCertificates, hash, which);
    }

    private static StrictIdSignedXml Load(XmlElement signature, XmlDocument document, string which)
    {
        var signedXml = new StrictIdSignedXml(document);
        try
        {
            signedXml.LoadXml(signature);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or XmlException)
        {
            throw new SamlRejectedException(SamlRejectionReason.MalformedSignature,
                $"The {which} signature cannot be read: {e.Message}");
        }
        return signedXml;
    }

    /// <summary>SignedXml verifies every reference but never says what they covered; with exactly one,
    /// pointing at the signature's own parent (the same object, by a resolver that refuses ambiguity),
    /// "verified" means "this element is what the IdP signed".</summary>
    private static Reference SingleReferenceToParent(StrictIdSignedXml signedXml, XmlElement signedElement, string which)
    {
        var references = signedXml.SignedInfo!.References;
        if (references.Count != 1)
            throw new SamlRejectedException(SamlRejectionReason.SignatureReference,
                $"The {which} signature has {references.Count} references; exactly one is accepted.");
        var reference = (Reference)references[0]!;

        string id = signedElement.GetAttribute("ID");
        if (reference.Uri != "#" + id)
            throw new SamlRejectedException(SamlRejectionReason.SignatureReference,
                $"The {which} signature references {DetailText.Quote(reference.Uri)}; expected \"#{id}\", the ID of the {which} that holds it.");
        if (!ReferenceEquals(signedXml.GetIdElement(signedElement.OwnerDocument, id), signedElement))
            throw new SamlRejectedException(SamlRejectionReason.SignatureReference,
                $"The {which} signature's reference \"#{id}\" does not resolve to the {which} that holds it.");
        return reference;
    }

    private static void RequireAllowedTransforms(Reference reference, string which)
    {
        var chain = reference.TransformChain;
        var algorithms = Enumerable.Range(0, chain.Count).Select(i => chain[i].Algorithm).ToList();
        bool allowed = algorithms.Count is 1 or 2
            && algorithms[0] == SignedXml.XmlDsigEnvelopedSignatureTransformUrl
            && (algorithms.Count == 1 || algorithms[1] is SignedXml.XmlDsigExcC14NTransformUrl or SignedXml.XmlDsigExcC14NWithCommentsTransformUrl);
        if (!allowed)
            throw new SamlRejectedException(SamlRejectionReason.DisallowedTransform,
                $"The {which} signature's transforms are [{string.Join(", ", algorithms)}]; accepted: enveloped-signature, optionally followed by exclusive C14N.");
    }

    private static void RequireExclusiveCanonicalization(SignedXml signedXml, string which)
    {
        string method = signedXml.SignedInfo!.CanonicalizationMethod;
        if (method != SignedXml.XmlDsigExcC14NTransformUrl)
            throw new SamlRejectedException(SamlRejectionReason.DisallowedTransform,
                $"The {which} signature's SignedInfo is canonicalized with {DetailText.Quote(method)}; only exclusive C14N ({SignedXml.XmlDsigExcC14NTransformUrl}) is accepted.");
    }

    private HashAlgorithmName RequireAllowedAlgorithms(SignedXml signedXml, Reference reference, string which)
    {
        var hash = SignatureAlgorithms.SignatureHash(signedXml.SignatureMethod, allowSha1)
            ?? throw new SamlRejectedException(SamlRejectionReason.WeakAlgorithm,
                $"The {which} signature uses {DetailText.Quote(signedXml.SignatureMethod)}; accepted: {SignatureAlgorithms.Allowed(allowSha1)}.");
        if (!SignatureAlgorithms.IsAllowedDigest(reference.DigestMethod, allowSha1))
            throw new SamlRejectedException(SamlRejectionReason.WeakAlgorithm,
                $"The {which} signature digests with {DetailText.Quote(reference.DigestMethod)}; accepted: SHA-256, SHA-384, SHA-512{(allowSha1 ? " or SHA-1" : "")}.");
        return hash;
    }

    /// <summary>verifySignatureOnly: the IdP's certificate is pinned by configuration (often
    /// self-signed); building a chain would add nothing and fail for Okta.</summary>
    private static bool VerifiesWith(SignedXml signedXml, X509Certificate2 certificate)
    {
        try
        {
            return signedXml.CheckSignature(certificate, verifySignatureOnly: true);
        }
        catch (Exception e) when (e is CryptographicException or NotSupportedException or ArgumentException
                                      or InvalidOperationException or FormatException or XmlException)
        {
            // A signature the runtime cannot even evaluate has not verified; the diagnosis says why.
            return false;
        }
    }
}
