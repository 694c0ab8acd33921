using System.Security.Cryptography.Xml;
using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>
/// SignedXml whose "#id" references resolve only when exactly one element in the document carries the
/// value, in any of ID, Id or id, and that attribute is SAML's <c>ID</c>. The runtime's resolver tries
/// DTD IDs, then Id, then id, then ID, and detects ambiguity only within one attribute name, so an
/// attacker's <c>Id="x"</c> would win over the real <c>ID="x"</c>.
/// <para>The allowed canonicalization is enforced by <see cref="XmlSignatureVerifier"/> before the
/// runtime checks anything, never through <see cref="SignedXml.SafeCanonicalizationMethods"/>: that
/// collection wraps the runtime's one static list, so editing it from an instance changes every
/// SignedXml in the process, and did make concurrent sign-ins fail at random while another validator
/// was being built.</para>
/// </summary>
internal sealed class StrictIdSignedXml(XmlDocument document) : SignedXml(document)
{

    public override XmlElement? GetIdElement(XmlDocument? document, string idValue) =>
        document is null ? null : ResolveId(document, idValue);

    /// <summary>The one element whose <c>ID</c> is <paramref name="idValue"/>, or null when the value is
    /// not an NCName, is carried by no element, by several, or by an Id/id attribute.</summary>
    public static XmlElement? ResolveId(XmlDocument document, string idValue)
    {
        if (!IsNCName(idValue)) return null;
        XmlElement? carrier = null;
        foreach (var element in document.DescendantElements())
        {
            if (!CarriesId(element, idValue)) continue;
            if (carrier is not null) return null;
            carrier = element;
        }
        return carrier is not null && carrier.AttributeOrNull("ID") == idValue ? carrier : null;
    }

    private static bool CarriesId(XmlElement element, string idValue)
    {
        foreach (XmlAttribute attribute in element.Attributes)
        {
            if (attribute.LocalName is "ID" or "Id" or "id" && attribute.Value == idValue) return true;
        }
        return false;
    }

    private static bool IsNCName(string value)
    {
        if (string.IsNullOrEmpty(value)) return false;
        try
        {
            XmlConvert.VerifyNCName(value);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }
}
