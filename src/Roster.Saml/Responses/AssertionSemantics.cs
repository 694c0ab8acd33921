using System.Xml;

namespace Roster.Saml.Responses;

/// <summary>Step 9, the Assertion-level rules of the Web SSO profile: a bearer confirmation for our ACS,
/// a current validity window, our audience, one authentication, a subject.</summary>
internal sealed class AssertionSemantics(ServiceProviderSettings sp, SamlValidationPolicy policy, DateTimeOffset now)
{
    private DateTimeOffset EarliestAcceptedEnd => now - policy.ClockSkew;

    public static XmlElement SingleSubject(XmlElement assertion)
    {
        var subjects = assertion.Children(SamlNames.Assertion, "Subject");
        return subjects.Count == 1 ? subjects[0]
            : throw new SamlRejectedException(SamlRejectionReason.SubjectCount,
                $"The Assertion has {subjects.Count} Subject elements; exactly one is accepted.");
    }

    /// <summary>The first bearer confirmation that satisfies every rule wins; when none does, the
    /// first one's failure is reported.</summary>
    /// <returns>The chosen confirmation's NotOnOrAfter.</returns>
    public DateTimeOffset CheckBearerConfirmation(XmlElement subject)
    {
        var bearers = subject.Children(SamlNames.Assertion, "SubjectConfirmation")
            .Where(confirmation => confirmation.AttributeOrNull("Method") == SamlNames.BearerMethod)
            .ToList();
        if (bearers.Count == 0)
            throw new SamlRejectedException(SamlRejectionReason.NoBearerConfirmation,
                $"The Subject has no SubjectConfirmation with Method {SamlNames.BearerMethod}.");

        SamlRejectedException? firstFailure = null;
        foreach (var bearer in bearers)
        {
            try
            {
                return CheckBearer(bearer);
            }
            catch (SamlRejectedException failure)
            {
                firstFailure ??= failure;
            }
        }
        throw firstFailure!;
    }

    private DateTimeOffset CheckBearer(XmlElement bearer)
    {
        var data = bearer.Children(SamlNames.Assertion, "SubjectConfirmationData");
        if (data.Count != 1)
            throw new SamlRejectedException(SamlRejectionReason.NoBearerConfirmation,
                $"The bearer SubjectConfirmation has {data.Count} SubjectConfirmationData elements; exactly one is required.");
        var confirmation = data[0];

        string? recipient = confirmation.AttributeOrNull("Recipient");
        if (recipient != sp.AssertionConsumerServiceUrl)
            throw new SamlRejectedException(SamlRejectionReason.RecipientMismatch,
                $"The bearer confirmation's Recipient is {DetailText.Quote(recipient)}; expected \"{sp.AssertionConsumerServiceUrl}\", this service provider's ACS URL.");
        if (confirmation.GetAttributeNode("NotBefore") is not null)
            throw new SamlRejectedException(SamlRejectionReason.NoBearerConfirmation,
                "The bearer confirmation has NotBefore, which the Web SSO profile forbids on bearer confirmations.");
        if (confirmation.GetAttributeNode("NotOnOrAfter") is null)
            throw new SamlRejectedException(SamlRejectionReason.NoBearerConfirmation,
                "The bearer confirmation has no NotOnOrAfter; a bearer assertion must say when it stops being usable.");
        var notOnOrAfter = SamlInstant.Required(confirmation, "NotOnOrAfter", "The bearer confirmation's");
        if (notOnOrAfter <= EarliestAcceptedEnd)
            throw Expired("bearer confirmation", notOnOrAfter);
        return notOnOrAfter;
    }

    /// <returns>The Conditions' NotOnOrAfter.</returns>
    public DateTimeOffset CheckConditions(XmlElement assertion)
    {
        var conditions = SingleConditions(assertion);
        var notBefore = SamlInstant.Optional(conditions, "NotBefore", "The Conditions'");
        var notOnOrAfter = SamlInstant.Optional(conditions, "NotOnOrAfter", "The Conditions'");
        if (notBefore is null || notOnOrAfter is null)
            throw new SamlRejectedException(SamlRejectionReason.ConditionsMissing,
                $"The Conditions have NotBefore {Shown(notBefore)} and NotOnOrAfter {Shown(notOnOrAfter)}; both are required.");
        if (notBefore > now + policy.ClockSkew)
            throw new SamlRejectedException(SamlRejectionReason.NotYetValid,
                $"The assertion is valid from {SamlInstant.Format(notBefore.Value)}, after now ({SamlInstant.Format(now)}) plus the clock skew of {policy.ClockSkew}.");
        if (notOnOrAfter <= EarliestAcceptedEnd)
            throw Expired("assertion", notOnOrAfter.Value);

        foreach (var condition in conditions.ChildElements())
        {
            // The replay cache makes every assertion one-time; Roster never passes assertions on.
            bool understood = condition.Is(SamlNames.Assertion, "AudienceRestriction")
                || condition.Is(SamlNames.Assertion, "OneTimeUse")
                || condition.Is(SamlNames.Assertion, "ProxyRestriction");
            if (!understood)
                throw new SamlRejectedException(SamlRejectionReason.UnsupportedCondition,
                    $"The Conditions hold {condition.Describe()}, which this service provider does not understand (SAML core §2.5.1.1: an unknown condition makes the assertion invalid).");
        }
        return notOnOrAfter.Value;
    }

    /// <summary>Every AudienceRestriction must name us (AND across restrictions, OR inside one), and
    /// there must be at least one: an assertion for anyone is an assertion for the wrong service.</summary>
    public void CheckAudience(XmlElement assertion)
    {
        var restrictions = SingleConditions(assertion).Children(SamlNames.Assertion, "AudienceRestriction");
        if (restrictions.Count == 0)
            throw new SamlRejectedException(SamlRejectionReason.AudienceMismatch,
                $"The Conditions have no AudienceRestriction; expected one naming \"{sp.EntityId}\".");
        foreach (var restriction in restrictions)
        {
            var audiences = restriction.Children(SamlNames.Assertion, "Audience").Select(a => a.InnerText).ToList();
            if (!audiences.Contains(sp.EntityId, StringComparer.Ordinal))
                throw new SamlRejectedException(SamlRejectionReason.AudienceMismatch,
                    $"An AudienceRestriction names [{string.Join(", ", audiences.Select(DetailText.Quote))}]; expected it to include \"{sp.EntityId}\", this service provider's entity ID.");
        }
    }

    /// <returns>The AuthnStatement, whose session (if it says when it ends) has not ended.</returns>
    public XmlElement SingleAuthnStatement(XmlElement assertion)
    {
        var statements = assertion.Children(SamlNames.Assertion, "AuthnStatement");
        if (statements.Count != 1)
            throw new SamlRejectedException(SamlRejectionReason.AuthnStatementCount,
                $"The Assertion has {statements.Count} AuthnStatement elements; exactly one is accepted.");
        var sessionEnd = SamlInstant.Optional(statements[0], "SessionNotOnOrAfter", "The AuthnStatement's");
        if (sessionEnd is not null && sessionEnd <= EarliestAcceptedEnd)
            throw Expired("IdP session (SessionNotOnOrAfter)", sessionEnd.Value);
        return statements[0];
    }

    public XmlElement CheckNameId(XmlElement subject)
    {
        var nameIds = subject.Children(SamlNames.Assertion, "NameID");
        if (nameIds.Count != 1)
            throw new SamlRejectedException(SamlRejectionReason.NameIdMissing, subject.Children(SamlNames.Assertion, "EncryptedID").Count > 0
                ? "The Subject identifies the user with an EncryptedID, which is not supported; configure the IdP to send a NameID."
                : $"The Subject has {nameIds.Count} NameID elements; exactly one is required.");
        var nameId = nameIds[0];
        if (string.IsNullOrWhiteSpace(nameId.InnerText))
            throw new SamlRejectedException(SamlRejectionReason.NameIdMissing, "The Subject's NameID is empty.");
        string? qualifier = nameId.AttributeOrNull("SPNameQualifier");
        if (qualifier is not null && qualifier != sp.EntityId)
            throw new SamlRejectedException(SamlRejectionReason.NameIdQualifierMismatch,
                $"The NameID's SPNameQualifier is {DetailText.Quote(qualifier)}; expected \"{sp.EntityId}\", this service provider's entity ID.");
        return nameId;
    }

    private static XmlElement SingleConditions(XmlElement assertion)
    {
        var conditions = assertion.Children(SamlNames.Assertion, "Conditions");
        return conditions.Count switch
        {
            1 => conditions[0],
            0 => throw new SamlRejectedException(SamlRejectionReason.ConditionsMissing,
                "The Assertion has no Conditions; they are required (validity window and audience)."),
            _ => throw new SamlRejectedException(SamlRejectionReason.UnsupportedCondition,
                $"The Assertion has {conditions.Count} Conditions elements; at most one is allowed."),
        };
    }

    private SamlRejectedException Expired(string what, DateTimeOffset end) =>
        new(SamlRejectionReason.Expired,
            $"The {what} ended at {SamlInstant.Format(end)}, before now ({SamlInstant.Format(now)}) minus the clock skew of {policy.ClockSkew}.");

    private static string Shown(DateTimeOffset? instant) => instant is null ? "(none)" : SamlInstant.Format(instant.Value);
}
