using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>
/// Validates a SAML 2.0 Response posted to one enterprise's ACS (HTTP-POST binding) and, when every
/// check passes, reads the identity out of the element whose signature verified. One instance per
/// enterprise configuration; thread-safe.
/// <para>The pipeline, each step failing closed (shared/saml.md §1): size, base64, UTF-8,
/// parse (no DTD), forbidden nodes, structure, Response signature, decryption (and structure again),
/// Assertion signature, signature requirements, then the semantic rules.</para>
/// <para>Replay protection is the host's: it records <see cref="SamlAssertion.AssertionId"/>.</para>
/// </summary>
public sealed class SamlResponseValidator
{
    private readonly ServiceProviderSettings sp;
    private readonly IdentityProviderSettings idp;
    private readonly SamlValidationPolicy policy;
    private readonly TimeProvider clock;
    private readonly XmlSignatureVerifier signatures;
    private readonly EncryptedAssertionDecryptor decryptor;

    /// <exception cref="ArgumentException">The configuration cannot validate anything safely: no IdP
    /// signing certificate, an empty entity ID or ACS URL, or a nonsensical policy. A missing key is a
    /// configuration error found when the enterprise is set up, never a reason to skip a check.</exception>
    public SamlResponseValidator(ServiceProviderSettings sp, IdentityProviderSettings idp, SamlValidationPolicy policy, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(sp);
        ArgumentNullException.ThrowIfNull(idp);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(clock);
        if (string.IsNullOrWhiteSpace(sp.EntityId)) throw new ArgumentException("The service provider has no entity ID.", nameof(sp));
        if (string.IsNullOrWhiteSpace(sp.AssertionConsumerServiceUrl)) throw new ArgumentException("The service provider has no ACS URL.", nameof(sp));
        if (string.IsNullOrWhiteSpace(idp.EntityId)) throw new ArgumentException("The identity provider has no entity ID.", nameof(idp));
        if (idp.SigningCertificates is null || idp.SigningCertificates.Count == 0 || idp.SigningCertificates.Any(c => c is null))
            throw new ArgumentException("The identity provider has no signing certificate; without one no Response can be trusted.", nameof(idp));
        if (policy.MaxResponseBytes <= 0) throw new ArgumentOutOfRangeException(nameof(policy), "MaxResponseBytes must be positive.");
        if (policy.ClockSkew < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(policy), "ClockSkew must not be negative.");
        if (policy.UnsolicitedMaxAge <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(policy), "UnsolicitedMaxAge must be positive.");

        this.sp = sp;
        this.idp = idp;
        this.policy = policy;
        this.clock = clock;
        signatures = new XmlSignatureVerifier(idp.SigningCertificates.ToArray(), policy.AllowSha1);
        decryptor = new EncryptedAssertionDecryptor(sp.Certificate, policy.MaxResponseBytes);
    }

    /// <param name="samlResponseField">The raw SAMLResponse form value (base64, not deflated).</param>
    /// <param name="expectedInResponseTo">The ID of the AuthnRequest this browser started (from the
    /// host's correlation state), or null when it started none.</param>
    /// <returns>The assertion, or a rejection. Never throws for bad input.</returns>
    public SamlValidationResult Validate(string samlResponseField, string? expectedInResponseTo)
    {
        try
        {
            return SamlValidationResult.Success(Accept(samlResponseField, expectedInResponseTo));
        }
        catch (SamlRejectedException rejected)
        {
            return SamlValidationResult.Rejected(rejected.Rejection);
        }
        catch (Exception unexpected)
        {
            // Fail closed on anything the steps did not foresee; the type names the cause for the admin.
            return SamlValidationResult.Rejected(SamlRejectionReason.Unprocessable,
                $"The Response could not be processed ({unexpected.GetType().Name}).");
        }
    }

    private SamlAssertion Accept(string samlResponseField, string? expectedInResponseTo)
    {
        var now = clock.GetUtcNow();

        string xml = ResponseField.Decode(samlResponseField, policy.MaxResponseBytes);
        var document = Parse(xml);
        ForbiddenNodes.Refuse(document);
        var parts = ResponseStructure.Check(document);

        // Verified on the message as received: over an EncryptedAssertion it covers the ciphertext, so
        // it must be checked before decryption (and then makes the ciphertext tamper-proof).
        var responseSignature = parts.ResponseSignature is null ? null
            : signatures.Verify(parts.ResponseSignature, parts.Response, "Response");
        bool encrypted = parts.EncryptedAssertion is not null;
        if (encrypted) parts = Decrypt(document, parts);
        var assertionSignature = parts.AssertionSignature is null ? null
            : signatures.Verify(parts.AssertionSignature, parts.Assertion!, "Assertion");

        var assertion = VerifiedAssertion(responseSignature, assertionSignature);
        var response = responseSignature?.SignedElement ?? parts.Response;
        bool responseSigned = responseSignature is not null;

        var responseRules = new ResponseSemantics(sp, idp, policy, now);
        responseRules.CheckIssuer(response, required: false, "Response");
        responseRules.CheckIssuer(assertion, required: true, "Assertion");
        ResponseSemantics.CheckStatus(response);
        responseRules.CheckDestination(response, responseSigned);
        var responseIssued = SamlInstant.Required(response, "IssueInstant", "The Response's");
        var assertionIssued = SamlInstant.Required(assertion, "IssueInstant", "The Assertion's");
        string? inResponseTo = responseRules.CheckInResponseTo(
            response, responseSigned, assertion, expectedInResponseTo, responseIssued, assertionIssued);

        var assertionRules = new AssertionSemantics(sp, policy, now);
        var subject = AssertionSemantics.SingleSubject(assertion);
        var confirmationEnd = assertionRules.CheckBearerConfirmation(subject);
        var conditionsEnd = assertionRules.CheckConditions(assertion);
        assertionRules.CheckAudience(assertion);
        var authnStatement = assertionRules.SingleAuthnStatement(assertion);
        var nameId = assertionRules.CheckNameId(subject);
        responseRules.CheckIssueInstant(responseIssued, "Response");
        responseRules.CheckIssueInstant(assertionIssued, "Assertion");

        return new SamlAssertion
        {
            ResponseId = response.GetAttribute("ID"),
            AssertionId = assertion.GetAttribute("ID"),
            Issuer = assertion.Children(SamlNames.Assertion, "Issuer")[0].InnerText,
            NameId = nameId.InnerText,
            NameIdFormat = nameId.AttributeOrNull("Format"),
            InResponseTo = inResponseTo,
            IssueInstant = assertionIssued,
            NotOnOrAfter = conditionsEnd < confirmationEnd ? conditionsEnd : confirmationEnd,
            SessionNotOnOrAfter = SamlInstant.Optional(authnStatement, "SessionNotOnOrAfter", "The AuthnStatement's"),
            SessionIndex = authnStatement.AttributeOrNull("SessionIndex"),
            Attributes = AssertionAttributes.Read(assertion),
            SignedElements = (responseSigned ? SamlSignedElements.Response : SamlSignedElements.None)
                | (assertionSignature is not null ? SamlSignedElements.Assertion : SamlSignedElements.None),
            Encrypted = encrypted,
            SignatureAlgorithm = (assertionSignature ?? responseSignature)!.SignatureMethod,
        };
    }

    private XmlDocument Parse(string xml)
    {
        try
        {
            return SafeXml.Load(xml, policy.MaxResponseBytes);
        }
        catch (XmlException e)
        {
            // SafeXml refuses any DOCTYPE with an XmlException; name that case for the admin.
            if (xml.Contains("<!DOCTYPE", StringComparison.Ordinal))
                throw new SamlRejectedException(SamlRejectionReason.DtdProhibited,
                    "The message has a DOCTYPE; DTDs (and so entities) are refused.");
            throw new SamlRejectedException(SamlRejectionReason.MalformedXml, $"The message is not well-formed XML: {e.Message}");
        }
    }

    /// <summary>Replaces the EncryptedAssertion by its plaintext Assertion, then re-runs the node and
    /// structure checks over the whole document, so a decrypted payload is held to the same shape.</summary>
    private ResponseParts Decrypt(XmlDocument document, ResponseParts parts)
    {
        var plaintext = decryptor.Decrypt(parts.EncryptedAssertion!);
        parts.Response.ReplaceChild(document.ImportNode(plaintext, deep: true), parts.EncryptedAssertion!);
        ForbiddenNodes.Refuse(document);
        return ResponseStructure.Check(document);
    }

    /// <summary>The assertion to read identity from: the very element the Assertion signature's
    /// reference resolved to, or else the single Assertion child of the very Response element whose
    /// signature verified. Never found again by searching the document.</summary>
    private XmlElement VerifiedAssertion(VerifiedSignature? responseSignature, VerifiedSignature? assertionSignature)
    {
        if (assertionSignature is null && responseSignature is null)
            throw new SamlRejectedException(SamlRejectionReason.Unsigned, "Neither the Response nor the Assertion is signed.");
        if (assertionSignature is null && sp.WantAssertionsSigned)
            throw new SamlRejectedException(SamlRejectionReason.AssertionNotSigned,
                "The Response is signed but the Assertion is not, and this service provider requires signed assertions.");
        if (assertionSignature is not null) return assertionSignature.SignedElement;

        var children = responseSignature!.SignedElement.Children(SamlNames.Assertion, "Assertion");
        return children.Count == 1 ? children[0]
            : throw new SamlRejectedException(SamlRejectionReason.AssertionCount,
                $"The signed Response has {children.Count} Assertion children; exactly one is accepted.");
    }
}
