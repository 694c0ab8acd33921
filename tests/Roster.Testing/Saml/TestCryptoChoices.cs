namespace Roster.Testing.Saml;

// The signing and encryption choices of SamlResponseOptions: what an IdP can be configured to do.

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
