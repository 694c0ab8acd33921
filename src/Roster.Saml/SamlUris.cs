namespace Roster.Saml;

/// <summary>The namespace and identifier URIs of SAML 2.0, XML Signature and XML Encryption that
/// Roster reads and writes. Elements are always matched by namespace URI and local name, never by
/// prefix: a prefix is whatever the sender chose to declare.</summary>
public static class SamlUris
{
    public const string MetadataNamespace = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string ProtocolNamespace = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string AssertionNamespace = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string XmlDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

    /// <summary>The value of protocolSupportEnumeration that says a role speaks SAML 2.0.</summary>
    public const string Saml20Protocol = ProtocolNamespace;

    public const string HttpRedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    public const string HttpPostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

    public const string NameIdFormatUnspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
    public const string NameIdFormatEmailAddress = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string RsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    public const string RsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";

    public const string Aes256Gcm = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
    public const string Aes128Gcm = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
    public const string RsaOaep = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
    public const string RsaOaepMgf1p = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
}
