using System.Xml;
using Roster.Testing.Saml;

namespace Roster.Saml.Tests;

/// <summary>Edits of a Response document that several attack tests make, as a BeforeSigning hook (the
/// IdP then signs the edited content) or as an AfterSigning one (an attacker's change).</summary>
internal static class ResponseEdits
{
    /// <summary>Nests a copy of the Assertion, with another ID, in an Advice of the Assertion itself:
    /// before signing, the IdP's signature covers it too, and it must still never be a second source
    /// of identity.</summary>
    public static void NestAssertionCopyInAdvice(XmlDocument document)
    {
        var assertion = (XmlElement)document.GetElementsByTagName("Assertion", SamlNamespaces.Assertion)[0]!;
        var nested = (XmlElement)assertion.CloneNode(deep: true);
        nested.SetAttribute("ID", "_nested");
        var advice = document.CreateElement("saml2", "Advice", SamlNamespaces.Assertion);
        advice.AppendChild(nested);
        assertion.InsertBefore(advice, assertion.GetElementsByTagName("AuthnStatement", SamlNamespaces.Assertion)[0]);
    }

    /// <summary>Comment truncation: the NameID becomes <paramref name="readAs"/>, an empty comment,
    /// then <paramref name="rest"/>. A same-document reference digests it without the comment, as the
    /// whole string; code that reads only the first text node sees <paramref name="readAs"/>.</summary>
    public static void SplitNameIdWithComment(XmlDocument document, string readAs, string rest)
    {
        var nameId = document.GetElementsByTagName("NameID", SamlNamespaces.Assertion)[0]!;
        nameId.InnerXml = "";
        nameId.AppendChild(document.CreateTextNode(readAs));
        nameId.AppendChild(document.CreateComment(""));
        nameId.AppendChild(document.CreateTextNode(rest));
    }
}
