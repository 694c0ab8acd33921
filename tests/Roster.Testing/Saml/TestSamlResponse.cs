using System.Text;
using System.Xml;

namespace Roster.Testing.Saml;

/// <summary>A Response as an IdP posts it: the XML, and the SAMLResponse form value (base64 of its
/// UTF-8 bytes, HTTP-POST binding).</summary>
public sealed class TestSamlResponse(string xml, string responseId, string assertionId)
{
    public string Xml { get; } = xml;

    public string FormValue { get; } = Encode(xml);

    public string ResponseId { get; } = responseId;

    public string AssertionId { get; } = assertionId;

    /// <summary>A fresh DOM of the Response (whitespace kept), to edit and re-encode.</summary>
    public XmlDocument ToDocument()
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(Xml);
        return document;
    }

    /// <summary>The form value of any XML text.</summary>
    public static string Encode(string xml) => Convert.ToBase64String(Encoding.UTF8.GetBytes(xml));

    /// <summary>The form value of a document, as its OuterXml.</summary>
    public static string Encode(XmlDocument document) => Encode(document.OuterXml);

    public override string ToString() => Xml;
}
