using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Roster.Testing.Saml;

/// <summary>
/// Signs a Response or Assertion the way IdPs do: an enveloped signature placed right after the
/// element's Issuer, one reference to its ID, enveloped-signature + exclusive C14N, KeyInfo with the
/// certificate. In Okta style the signature uses the ds: prefix (and ec: for InclusiveNamespaces),
/// which SignedXml cannot emit, so SignedInfo is re-signed after the prefixes are set.
/// </summary>
internal sealed class EnvelopedSigner(
    X509Certificate2 certificate, TestSignatureAlgorithm algorithm, bool includeKeyInfo, SamlWireStyle style,
    Action<SignedXml>? customize)
{
    private const string RsaSha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    private const string Sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";

    private HashAlgorithmName Hash => algorithm == TestSignatureAlgorithm.RsaSha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;

    /// <param name="inclusivePrefixes">The exclusive C14N transform's InclusiveNamespaces PrefixList
    /// (Okta signs its Assertion with "xs").</param>
    public void Sign(XmlElement element, string? inclusivePrefixes)
    {
        var document = element.OwnerDocument;
        using var key = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("The signing certificate has no RSA private key.");
        var signedXml = new SignedXml(document) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = algorithm == TestSignatureAlgorithm.RsaSha1 ? RsaSha1 : SignedXml.XmlDsigRSASHA256Url;

        var reference = new Reference("#" + element.GetAttribute("ID"))
        {
            DigestMethod = algorithm == TestSignatureAlgorithm.RsaSha1 ? Sha1 : SignedXml.XmlDsigSHA256Url,
        };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(inclusivePrefixes is null ? new XmlDsigExcC14NTransform() : new XmlDsigExcC14NTransform(inclusivePrefixes));
        signedXml.AddReference(reference);
        if (includeKeyInfo)
        {
            signedXml.KeyInfo = new KeyInfo();
            signedXml.KeyInfo.AddClause(new KeyInfoX509Data(certificate));
        }
        customize?.Invoke(signedXml);
        signedXml.ComputeSignature();

        var signature = (XmlElement)document.ImportNode(signedXml.GetXml(), deep: true);
        if (style == SamlWireStyle.Okta)
        {
            signature = Prefixed(document, signature);
            signature.Declare("ds", SamlNamespaces.XmlDsig);
        }
        var issuer = element.Child(SamlNamespaces.Assertion, "Issuer");
        element.InsertAfter(signature, issuer);
        if (style == SamlWireStyle.Okta) ResignSignedInfo(signature, signedXml.SignedInfo.CanonicalizationMethodObject, key);
    }

    /// <summary>A copy of the signature with ds: on XML-DSig elements and ec: on InclusiveNamespaces.</summary>
    private static XmlElement Prefixed(XmlDocument document, XmlElement source)
    {
        string prefix = source.NamespaceURI switch
        {
            SamlNamespaces.XmlDsig => "ds",
            SamlNamespaces.ExcC14N => "ec",
            _ => source.Prefix,
        };
        var copy = document.CreateElement(prefix, source.LocalName, source.NamespaceURI);
        if (prefix == "ec") copy.Declare("ec", SamlNamespaces.ExcC14N);
        foreach (XmlAttribute attribute in source.Attributes)
        {
            // The default-namespace declaration goes; the prefix declared instead replaces it.
            if (attribute.NamespaceURI == SamlNamespaces.XmlNs && attribute.Prefix.Length == 0) continue;
            copy.Attributes.Append((XmlAttribute)document.ImportNode(attribute, deep: true));
        }
        foreach (XmlNode child in source.ChildNodes)
            copy.AppendChild(child is XmlElement element ? Prefixed(document, element) : document.ImportNode(child, deep: true));
        return copy;
    }

    /// <summary>SignedInfo changed (its prefixes), so its signature value is computed again, over its
    /// canonical form as a verifier computes it.</summary>
    private void ResignSignedInfo(XmlElement signature, Transform canonicalization, RSA key)
    {
        var signedInfo = signature.Child(SamlNamespaces.XmlDsig, "SignedInfo")!;
        var standalone = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        standalone.LoadXml(signedInfo.OuterXml);
        canonicalization.LoadInput(standalone);
        using var canonical = (Stream)canonicalization.GetOutput(typeof(Stream));
        using var bytes = new MemoryStream();
        canonical.CopyTo(bytes);
        byte[] value = key.SignData(bytes.ToArray(), Hash, RSASignaturePadding.Pkcs1);
        var signatureValue = signature.Child(SamlNamespaces.XmlDsig, "SignatureValue")!;
        signatureValue.InnerText = Convert.ToBase64String(value);
    }
}
