using Roster.Saml.Responses;
using Roster.Testing.Saml;
using static Roster.Saml.Tests.SamlTestBed;

namespace Roster.Saml.Tests;

/// <summary>A Response must answer the request this browser made; an unsolicited (IdP-initiated)
/// Response is refused unless the enterprise allows it, and then only while fresh.</summary>
public sealed class InResponseToTests
{
    private static readonly SpUnderTest Roster = SpUnderTest.Default;
    private static readonly SamlResponseOptions Unsolicited = Answer with { InResponseTo = null };
    private static readonly SpUnderTest AllowsIdpInitiated = Roster with
    {
        ExpectedInResponseTo = null,
        Policy = new SamlValidationPolicy { AllowIdpInitiated = true },
    };

    [Fact]
    public void An_answer_to_another_request_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with { InResponseTo = "_another_request" }, SamlRejectionReason.InResponseToMismatch);

    [Fact]
    public void A_confirmation_answering_another_request_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => document.GetElementsByTagName("SubjectConfirmationData", SamlNamespaces.Assertion)
                .OfType<System.Xml.XmlElement>().Single().SetAttribute("InResponseTo", "_another_request"),
        }, SamlRejectionReason.InResponseToMismatch);

    [Fact]
    public void An_answer_when_this_browser_made_no_request_is_refused()
    {
        var noPendingRequest = Roster with { ExpectedInResponseTo = null, Policy = new SamlValidationPolicy { AllowIdpInitiated = true } };

        noPendingRequest.Accepts(Okta.CreateResponse(Unsolicited));
        noPendingRequest.Refuses(Okta.CreateResponse(Answer), SamlRejectionReason.InResponseToMismatch);
    }

    [Fact]
    public void An_unsolicited_response_while_a_request_is_pending_is_refused()
    {
        var allowsButWaits = Roster with { Policy = new SamlValidationPolicy { AllowIdpInitiated = true } };

        allowsButWaits.RefusesVariant(Answer, Unsolicited, SamlRejectionReason.InResponseToMismatch);
    }

    [Fact]
    public void An_unsolicited_response_is_refused_by_default()
    {
        var noPendingRequest = Roster with { ExpectedInResponseTo = null };

        noPendingRequest.Refuses(Okta.CreateResponse(Unsolicited), SamlRejectionReason.UnsolicitedNotAllowed);
        AllowsIdpInitiated.Accepts(Okta.CreateResponse(Unsolicited));
    }

    [Fact]
    public void A_fresh_unsolicited_response_is_accepted_when_allowed()
    {
        var assertion = (AllowsIdpInitiated with { Now = Now.AddSeconds(90) }).Accepts(Okta.CreateResponse(Unsolicited));

        Assert.Null(assertion.InResponseTo);
    }

    [Fact]
    public void An_unsolicited_response_older_than_the_limit_is_refused_even_when_allowed()
    {
        var response = Okta.CreateResponse(Unsolicited);

        AllowsIdpInitiated.Accepts(response);
        (AllowsIdpInitiated with { Now = Now.AddSeconds(91) }).Refuses(response, SamlRejectionReason.UnsolicitedTooOld);
    }

    [Fact]
    public void An_unsigned_responses_InResponseTo_does_not_make_a_signed_unsolicited_assertion_solicited()
    {
        // A captured IdP-initiated assertion (signed) wrapped in a Response that claims to answer the
        // victim's pending request: the claim is not signed, so it does not count.
        var victimsBrowser = Roster with { Policy = new SamlValidationPolicy { AllowIdpInitiated = true } };

        victimsBrowser.RefusesVariant(
            Answer with { Sign = TestSignedParts.Assertion },
            Unsolicited with
            {
                Sign = TestSignedParts.Assertion,
                AfterSigning = document => document.DocumentElement!.SetAttribute("InResponseTo", RequestId),
            },
            SamlRejectionReason.InResponseToMismatch);
    }
}
