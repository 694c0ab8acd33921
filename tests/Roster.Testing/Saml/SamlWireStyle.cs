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
