using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>A signature that verified with a configured IdP certificate, and the very element its one
/// reference resolved to (the element holding the signature). Identity is read from this element, never
/// re-queried from the document.</summary>
internal sealed record VerifiedSignature(XmlElement SignedElement, string SignatureMethod);
