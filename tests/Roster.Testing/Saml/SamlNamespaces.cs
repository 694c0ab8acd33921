namespace Roster.Testing.Saml;

/// <summary>The namespace URIs of SAML messages, for tests that build or edit them.</summary>
public static class SamlNamespaces
{
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string XmlDsig = "http://www.w3.org/2000/09/xmldsig#";
    public const string XmlEnc = "http://www.w3.org/2001/04/xmlenc#";
    public const string XmlEnc11 = "http://www.w3.org/2009/xmlenc11#";
    public const string ExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string XmlSchema = "http://www.w3.org/2001/XMLSchema";
    public const string XmlSchemaInstance = "http://www.w3.org/2001/XMLSchema-instance";
    public const string XmlNs = "http://www.w3.org/2000/xmlns/";
}
