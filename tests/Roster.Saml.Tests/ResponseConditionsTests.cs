using System.Xml;
using Roster.Saml.Responses;
using Roster.Testing.Saml;
using static Roster.Saml.Tests.SamlTestBed;

namespace Roster.Saml.Tests;

/// <summary>When and where a Response is good: validity windows with clock skew, the audience, and the
/// exact Destination and Recipient of this enterprise's ACS.</summary>
public sealed class ResponseConditionsTests
{
    private static readonly SpUnderTest Roster = SpUnderTest.Default;

    [Fact]
    public void An_expired_response_is_refused()
    {
        var response = Okta.CreateResponse(Answer);

        Roster.Accepts(response);
        (Roster with { Now = Now.AddMinutes(5 + 2) }).Refuses(response, SamlRejectionReason.Expired);
    }

    [Fact]
    public void Expired_conditions_under_a_current_confirmation_are_refused() =>
        Roster.RefusesVariant(Answer, Answer with { NotOnOrAfter = Now.AddMinutes(-2) }, SamlRejectionReason.Expired);

    [Fact]
    public void An_expired_confirmation_under_current_conditions_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with { ConfirmationNotOnOrAfter = Now.AddMinutes(-2) }, SamlRejectionReason.Expired);

    [Fact]
    public void An_ended_idp_session_is_refused() =>
        Roster.RefusesVariant(Answer with { SessionNotOnOrAfter = Now.AddHours(1) }, Answer with { SessionNotOnOrAfter = Now.AddMinutes(-3) }, SamlRejectionReason.Expired);

    [Fact]
    public void A_response_not_yet_valid_is_refused()
    {
        Roster.Accepts(Okta.CreateResponse(Answer with { NotBefore = Now.AddMinutes(2) }));
        Roster.Refuses(Okta.CreateResponse(Answer with { NotBefore = Now.AddMinutes(2).AddSeconds(1) }), SamlRejectionReason.NotYetValid);
    }

    [Fact]
    public void A_response_issued_in_the_future_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with { IssueInstant = Now.AddMinutes(3), NotBefore = Now.AddMinutes(-1) }, SamlRejectionReason.IssuedInFuture);

    [Fact]
    public void A_response_for_another_audience_is_refused()
    {
        var rejection = Roster.RefusesVariant(Answer, Answer with { Audience = "https://roster.example/saml/globex" }, SamlRejectionReason.AudienceMismatch);

        Assert.Contains("globex", rejection.Detail);
    }

    [Fact]
    public void Every_audience_restriction_must_name_this_service_provider() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document =>
            {
                var conditions = Single(document, "Conditions");
                var other = document.CreateElement("saml2", "AudienceRestriction", SamlNamespaces.Assertion);
                other.AppendChild(document.CreateElement("saml2", "Audience", SamlNamespaces.Assertion))!.InnerText = "https://elsewhere.example";
                conditions.AppendChild(other);
            },
        }, SamlRejectionReason.AudienceMismatch);

    [Fact]
    public void Conditions_without_an_audience_restriction_are_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Single(document, "Conditions").RemoveChild(Single(document, "AudienceRestriction")),
        }, SamlRejectionReason.AudienceMismatch);

    [Fact]
    public void A_response_for_another_destination_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with { Destination = "https://roster.example/saml/globex/acs" }, SamlRejectionReason.DestinationMismatch);

    [Fact]
    public void Destination_is_compared_exactly() =>
        Roster.RefusesVariant(Answer, Answer with { Destination = AcsUrl + "/" }, SamlRejectionReason.DestinationMismatch);

    [Fact]
    public void A_signed_response_without_destination_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with { BeforeSigning = document => document.DocumentElement!.RemoveAttribute("Destination") },
            SamlRejectionReason.DestinationMismatch);

    [Fact]
    public void An_unsigned_response_without_destination_is_accepted_on_its_signed_assertion() =>
        Roster.Accepts(Okta.CreateResponse(Answer with
        {
            Sign = TestSignedParts.Assertion,
            BeforeSigning = document => document.DocumentElement!.RemoveAttribute("Destination"),
        }));

    [Fact]
    public void A_confirmation_for_another_recipient_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with { Recipient = "https://roster.example/saml/globex/acs" }, SamlRejectionReason.RecipientMismatch);

    [Fact]
    public void A_bearer_confirmation_with_NotBefore_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Single(document, "SubjectConfirmationData").SetAttribute("NotBefore", "2026-03-14T09:25:00.000Z"),
        }, SamlRejectionReason.NoBearerConfirmation);

    [Fact]
    public void A_bearer_confirmation_without_NotOnOrAfter_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Single(document, "SubjectConfirmationData").RemoveAttribute("NotOnOrAfter"),
        }, SamlRejectionReason.NoBearerConfirmation);

    [Fact]
    public void A_holder_of_key_confirmation_is_not_a_bearer_confirmation() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Single(document, "SubjectConfirmation").SetAttribute("Method", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"),
        }, SamlRejectionReason.NoBearerConfirmation);

    [Fact]
    public void A_second_bearer_confirmation_for_us_is_enough() =>
        Roster.Accepts(Okta.CreateResponse(Answer with
        {
            Recipient = "https://elsewhere.example/acs",
            BeforeSigning = document =>
            {
                var first = Single(document, "SubjectConfirmation");
                var ours = (XmlElement)first.CloneNode(deep: true);
                ((XmlElement)ours.FirstChild!).SetAttribute("Recipient", AcsUrl);
                first.ParentNode!.AppendChild(ours);
            },
        }));

    [Fact]
    public void Missing_conditions_are_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Single(document, "Assertion").RemoveChild(Single(document, "Conditions")),
        }, SamlRejectionReason.ConditionsMissing);

    [Fact]
    public void Conditions_without_NotOnOrAfter_are_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Single(document, "Conditions").RemoveAttribute("NotOnOrAfter"),
        }, SamlRejectionReason.ConditionsMissing);

    [Fact]
    public void An_unknown_condition_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Single(document, "Conditions")
                .AppendChild(document.CreateElement("saml2", "Condition", SamlNamespaces.Assertion)),
        }, SamlRejectionReason.UnsupportedCondition);

    [Fact]
    public void A_timestamp_without_a_time_zone_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Single(document, "Conditions").SetAttribute("NotOnOrAfter", "2026-03-14T09:35:00"),
        }, SamlRejectionReason.InvalidTimestamp);

    private static XmlElement Single(XmlDocument document, string localName) =>
        document.GetElementsByTagName(localName, SamlNamespaces.Assertion).OfType<XmlElement>().Single();
}
