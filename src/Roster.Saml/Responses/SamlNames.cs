namespace Roster.Saml.Responses;

/// <summary>The namespace and value URIs a Response is matched against. Elements are always matched on
/// namespace URI + local name, never on prefixes.</summary>
internal static class SamlNames
{
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string XmlDsig = "http://www.w3.org/2000/09/xmldsig#";
    public const string XmlEnc = "http://www.w3.org/2001/04/xmlenc#";
    public const string XmlSchemaInstance = "http://www.w3.org/2001/XMLSchema-instance";

    public const string StatusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string BearerMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    public const string EntityFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
}
