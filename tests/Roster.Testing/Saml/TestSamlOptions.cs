namespace Roster.Testing.Saml;

/// <summary>How an IdP lays out its Responses. The validator must need no branch for either.</summary>
public enum SamlWireStyle
{
    /// <summary>saml2p:/saml2: prefixes, "id"+digits IDs, Issuer Format entity, ds: signatures with
    /// InclusiveNamespaces "xs", xsi:type'd attribute values; Response and Assertion signed.</summary>
    Okta,

    /// <summary>Default namespaces, "_"+GUID IDs, no Issuer Format, claims named by URI, only the
    /// Assertion signed (TokenResponseSigningPolicy TokenOnly).</summary>
    Entra,
}

/// <summary>Which elements the IdP signs.</summary>
[Flags]
public enum TestSignedParts
{
    None = 0,
    Response = 1,
    Assertion = 2,
    Both = Response | Assertion,
}

public enum TestSignatureAlgorithm
{
    RsaSha256,
    /// <summary>rsa-sha1 with a sha1 digest: what an IdP set to SHA-1 sends.</summary>
    RsaSha1,
}

public enum TestDataEncryption
{
    Aes256Gcm,
    Aes256Cbc,
}

public enum TestKeyTransport
{
    /// <summary>xmlenc#rsa-oaep-mgf1p with a SHA-1 digest: what Okta and Entra send.</summary>
    RsaOaepMgf1p,
    /// <summary>xmlenc11#rsa-oaep with SHA-256 for the digest and MGF1.</summary>
    RsaOaepSha256,
    /// <summary>xmlenc#rsa-1_5: refused by any careful service provider.</summary>
    RsaPkcs1,
}

/// <summary>One Attribute of the AttributeStatement, with its values in order.</summary>
public sealed record TestSamlAttribute(string Name, params IReadOnlyList<string> Values);
