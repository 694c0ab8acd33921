using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>Step 9, the Response-level rules: who issued it, whether it succeeded, where it was sent,
/// which request it answers, and when. Strings are compared ordinally and exactly.</summary>
internal sealed class ResponseSemantics(
    ServiceProviderSettings sp, IdentityProviderSettings idp, SamlValidationPolicy policy, DateTimeOffset now)
{
    /// <summary>The Issuer of the Response (optional there) or of the Assertion (required) must be the
    /// configured IdP. The enterprise comes from the ACS URL, never from the Issuer.</summary>
    public void CheckIssuer(XmlElement element, bool required, string which)
    {
        var issuers = element.Children(SamlNames.Assertion, "Issuer");
        if (issuers.Count == 0 && !required) return;
        if (issuers.Count != 1)
            throw new SamlRejectedException(SamlRejectionReason.IssuerMismatch,
                $"The {which} has {issuers.Count} Issuer elements; expected one naming \"{idp.EntityId}\".");
        var issuer = issuers[0];
        string? format = issuer.AttributeOrNull("Format");
        if (format is not null && format != SamlNames.EntityFormat)
            throw new SamlRejectedException(SamlRejectionReason.IssuerMismatch,
                $"The {which} Issuer has Format {DetailText.Quote(format)}; expected none or {SamlNames.EntityFormat}.");
        if (issuer.InnerText != idp.EntityId)
            throw new SamlRejectedException(SamlRejectionReason.IssuerMismatch,
                $"The {which} Issuer is {DetailText.Quote(issuer.InnerText)}; expected \"{idp.EntityId}\", the configured IdP entity ID.");
    }

    public static void CheckStatus(XmlElement response)
    {
        string status = ResponseStructure.StatusCodes(response);
        if (status != SamlNames.StatusSuccess)
            throw new SamlRejectedException(SamlRejectionReason.StatusNotSuccess,
                $"The Response status is {DetailText.Quote(status)}; expected {SamlNames.StatusSuccess}.");
    }

    /// <summary>Required on a signed Response (SAML bindings §3.5.5.2), exact when present: a Response
    /// meant for another service provider's ACS is not ours.</summary>
    public void CheckDestination(XmlElement response, bool responseSigned)
    {
        string? destination = response.AttributeOrNull("Destination");
        if (destination is null && !responseSigned) return;
        if (destination != sp.AssertionConsumerServiceUrl)
            throw new SamlRejectedException(SamlRejectionReason.DestinationMismatch,
                $"The Response Destination is {DetailText.Quote(destination)}; expected \"{sp.AssertionConsumerServiceUrl}\", this service provider's ACS URL.");
    }

    /// <summary>
    /// Binds the Response to the request this browser made. Every InResponseTo present must be the
    /// expected request ID. Only signed values make a Response solicited: an unsigned Response's own
    /// InResponseTo could have been added to a captured unsolicited assertion. A Response that answers
    /// no request is accepted only when IdP-initiated sign-in is on, no request is pending, and it is
    /// fresh.
    /// </summary>
    /// <returns>The request ID answered, or null for an accepted unsolicited Response.</returns>
    public string? CheckInResponseTo(
        XmlElement response, bool responseSigned, XmlElement assertion, string? expected,
        DateTimeOffset responseIssued, DateTimeOffset assertionIssued)
    {
        string? onResponse = response.AttributeOrNull("InResponseTo");
        var onConfirmations = BearerConfirmationData(assertion)
            .Select(data => data.AttributeOrNull("InResponseTo"))
            .OfType<string>()
            .ToList();

        foreach (string value in onConfirmations.Prepend(onResponse).OfType<string>())
        {
            if (value != expected)
                throw new SamlRejectedException(SamlRejectionReason.InResponseToMismatch, expected is null
                    ? $"The Response answers request {DetailText.Quote(value)}, but this browser has no pending request."
                    : $"The Response answers request {DetailText.Quote(value)}; expected \"{expected}\", the request this browser made.");
        }

        bool solicited = onConfirmations.Count > 0 || (responseSigned && onResponse is not null);
        if (solicited) return expected;

        if (expected is not null)
            throw new SamlRejectedException(SamlRejectionReason.InResponseToMismatch,
                $"This browser is waiting for an answer to request \"{expected}\", but the signed content of the Response answers no request.");
        if (!policy.AllowIdpInitiated)
            throw new SamlRejectedException(SamlRejectionReason.UnsolicitedNotAllowed,
                "The Response answers no request (IdP-initiated sign-in) and IdP-initiated sign-in is off for this enterprise.");
        RequireFresh(responseIssued, "Response");
        RequireFresh(assertionIssued, "Assertion");
        return null;
    }

    public void CheckIssueInstant(DateTimeOffset issued, string which)
    {
        if (issued > now + policy.ClockSkew)
            throw new SamlRejectedException(SamlRejectionReason.IssuedInFuture,
                $"The {which} was issued at {SamlInstant.Format(issued)}, after now ({SamlInstant.Format(now)}) plus the clock skew of {policy.ClockSkew}.");
    }

    private void RequireFresh(DateTimeOffset issued, string which)
    {
        if (now - issued > policy.UnsolicitedMaxAge)
            throw new SamlRejectedException(SamlRejectionReason.UnsolicitedTooOld,
                $"The unsolicited {which} was issued at {SamlInstant.Format(issued)}; at now ({SamlInstant.Format(now)}) it is older than the {policy.UnsolicitedMaxAge} accepted.");
    }

    private static IEnumerable<XmlElement> BearerConfirmationData(XmlElement assertion) =>
        assertion.Children(SamlNames.Assertion, "Subject")
            .SelectMany(subject => subject.Children(SamlNames.Assertion, "SubjectConfirmation"))
            .Where(confirmation => confirmation.AttributeOrNull("Method") == SamlNames.BearerMethod)
            .SelectMany(confirmation => confirmation.Children(SamlNames.Assertion, "SubjectConfirmationData"));
}
