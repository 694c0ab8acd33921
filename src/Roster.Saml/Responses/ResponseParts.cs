using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>The elements of a Response that passed the structure checks: the root Response, its one
/// assertion (plain or encrypted, a direct child) and the signatures placed directly in them.</summary>
internal sealed record ResponseParts(
    XmlElement Response,
    XmlElement? Assertion,
    XmlElement? EncryptedAssertion,
    XmlElement? ResponseSignature,
    XmlElement? AssertionSignature);
