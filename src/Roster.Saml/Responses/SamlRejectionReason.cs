namespace Roster.Saml.Responses;

/// <summary>
/// Why a Response was refused: one member per check, in the order the validator runs them. The host
/// logs it (with <see cref="SamlRejection.Detail"/>) for the enterprise's admins; the browser only ever
/// sees a generic error, because telling an attacker which check failed turns the ACS into an oracle.
/// </summary>
public enum SamlRejectionReason
{
    // Transport
    /// <summary>The message is larger than <see cref="SamlValidationPolicy.MaxResponseBytes"/>.</summary>
    TooLarge,
    /// <summary>The form value is empty or not base64.</summary>
    NotBase64,
    /// <summary>The decoded bytes are not UTF-8.</summary>
    NotUtf8,

    // Parsing
    /// <summary>The message is not well-formed XML.</summary>
    MalformedXml,
    /// <summary>The message has a DOCTYPE (entity expansion, external entities).</summary>
    DtdProhibited,
    /// <summary>A comment, processing instruction or CDATA section appears in the message.</summary>
    ForbiddenNode,
    /// <summary>Elements are nested deeper than any SAML message needs.</summary>
    TooDeeplyNested,

    // Structure
    /// <summary>The root is not a SAML 2.0 protocol Response.</summary>
    NotAResponse,
    /// <summary>The Response or Assertion is not Version 2.0.</summary>
    UnsupportedVersion,
    /// <summary>The Response or Assertion has no ID.</summary>
    MissingId,
    /// <summary>The document does not hold exactly one Assertion or EncryptedAssertion.</summary>
    AssertionCount,
    /// <summary>The assertion is not a direct child of the Response.</summary>
    MisplacedAssertion,
    /// <summary>Two elements carry the same value in an ID, Id or id attribute.</summary>
    DuplicateId,
    /// <summary>A ds:Signature is somewhere other than directly in the Response or the Assertion, or
    /// one of them holds two.</summary>
    MisplacedSignature,

    // Signatures
    /// <summary>A ds:Signature cannot be read (missing parts, unknown transform, bad base64).</summary>
    MalformedSignature,
    /// <summary>A signature has not exactly one Reference, or its Reference is not "#" + the ID of
    /// the element that holds the signature.</summary>
    SignatureReference,
    /// <summary>A transform or canonicalization method outside the allowlist.</summary>
    DisallowedTransform,
    /// <summary>A signature or digest algorithm outside the allowlist (SHA-1 unless allowed).</summary>
    WeakAlgorithm,
    /// <summary>A signature made by a configured certificate no longer matches the content.</summary>
    SignatureInvalid,
    /// <summary>A signature does not verify with any configured IdP certificate.</summary>
    UntrustedSigningKey,
    /// <summary>Neither the Response nor the Assertion is signed.</summary>
    Unsigned,
    /// <summary>The service provider wants signed assertions and the Assertion is not signed.</summary>
    AssertionNotSigned,

    // Decryption
    /// <summary>An EncryptedAssertion arrived but the service provider has no private key.</summary>
    NoDecryptionKey,
    /// <summary>The EncryptedAssertion uses an algorithm or shape that is refused (rsa-1_5, external
    /// references, unknown algorithms).</summary>
    DisallowedEncryption,
    /// <summary>The EncryptedAssertion could not be decrypted into an Assertion. Deliberately one
    /// reason for every cryptographic or parsing failure (padding-oracle defence).</summary>
    DecryptionFailed,

    // Semantics
    /// <summary>An Issuer is not the configured IdP entity ID, or not of entity format.</summary>
    IssuerMismatch,
    /// <summary>The status is not Success.</summary>
    StatusNotSuccess,
    /// <summary>Destination is not this service provider's ACS URL (or missing on a signed Response).</summary>
    DestinationMismatch,
    /// <summary>InResponseTo does not name the request this browser made.</summary>
    InResponseToMismatch,
    /// <summary>The Response answers no request and IdP-initiated sign-in is off.</summary>
    UnsolicitedNotAllowed,
    /// <summary>An unsolicited Response is older than <see cref="SamlValidationPolicy.UnsolicitedMaxAge"/>.</summary>
    UnsolicitedTooOld,
    /// <summary>The Assertion has not exactly one Subject.</summary>
    SubjectCount,
    /// <summary>No usable bearer SubjectConfirmation.</summary>
    NoBearerConfirmation,
    /// <summary>The bearer confirmation's Recipient is not this service provider's ACS URL.</summary>
    RecipientMismatch,
    /// <summary>No Conditions, or Conditions without NotBefore and NotOnOrAfter.</summary>
    ConditionsMissing,
    /// <summary>Conditions hold a condition this service provider does not understand.</summary>
    UnsupportedCondition,
    /// <summary>The assertion's validity starts in the future.</summary>
    NotYetValid,
    /// <summary>The assertion, its confirmation or its session has ended.</summary>
    Expired,
    /// <summary>An AudienceRestriction does not name this service provider.</summary>
    AudienceMismatch,
    /// <summary>The Assertion has not exactly one AuthnStatement.</summary>
    AuthnStatementCount,
    /// <summary>The Subject has no NameID, or an empty one.</summary>
    NameIdMissing,
    /// <summary>NameID's SPNameQualifier names another service provider.</summary>
    NameIdQualifierMismatch,
    /// <summary>The Response or Assertion was issued in the future.</summary>
    IssuedInFuture,
    /// <summary>A required timestamp is missing or not an xs:dateTime in UTC.</summary>
    InvalidTimestamp,

    /// <summary>Something unexpected went wrong while validating; the message is refused.</summary>
    Unprocessable,
}
