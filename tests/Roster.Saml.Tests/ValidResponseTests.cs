using System.Security.Cryptography.Xml;
using Roster.Saml.Responses;
using Roster.Testing;
using Roster.Testing.Saml;
using static Roster.Saml.Tests.SamlTestBed;

namespace Roster.Saml.Tests;

/// <summary>What real IdPs send is accepted, and read correctly: the baseline every attack test
/// departs from.</summary>
public sealed class ValidResponseTests
{
    private static readonly SpUnderTest Roster = SpUnderTest.Default;

    [Fact]
    public void Okta_response_signed_on_response_and_assertion_is_accepted_and_read()
    {
        var response = Okta.CreateResponse(Answer);

        var assertion = Roster.Accepts(response);

        Assert.Equal(response.ResponseId, assertion.ResponseId);
        Assert.Equal(response.AssertionId, assertion.AssertionId);
        Assert.Equal(TestIdentityProvider.OktaEntityId, assertion.Issuer);
        Assert.Equal("ada.lovelace@acme.example", assertion.NameId);
        Assert.Equal(SamlResponseOptions.EmailAddressFormat, assertion.NameIdFormat);
        Assert.Equal(RequestId, assertion.InResponseTo);
        Assert.Equal(Now, assertion.IssueInstant);
        Assert.Equal(Now.AddMinutes(5), assertion.NotOnOrAfter);
        Assert.Null(assertion.SessionNotOnOrAfter);
        Assert.StartsWith("id", assertion.SessionIndex);
        Assert.Equal(["ada.lovelace@acme.example"], assertion.Attributes["email"]);
        Assert.Equal(["Engineering", "Roster Admins"], assertion.Attributes["groups"]);
        Assert.Equal(SamlSignedElements.Response | SamlSignedElements.Assertion, assertion.SignedElements);
        Assert.False(assertion.Encrypted);
        Assert.Equal(SignedXml.XmlDsigRSASHA256Url, assertion.SignatureAlgorithm);
    }

    [Fact]
    public void Okta_wire_shape_is_what_the_test_idp_claims()
    {
        string xml = Okta.CreateResponse(Answer).Xml;

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><saml2p:Response ", xml);
        Assert.Contains("<saml2:Issuer Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:entity\"", xml);
        Assert.Contains("</saml2:Issuer><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">", xml);
        Assert.Contains("<ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"xs\"", xml);
        Assert.Contains("xsi:type=\"xs:string\"", xml);
    }

    [Fact]
    public void Okta_response_signed_only_on_the_response_is_accepted()
    {
        var assertion = Roster.Accepts(Okta.CreateResponse(Answer with { Sign = TestSignedParts.Response }));

        Assert.Equal(SamlSignedElements.Response, assertion.SignedElements);
        Assert.Equal("ada.lovelace@acme.example", assertion.NameId);
    }

    [Fact]
    public void Okta_response_signed_only_on_the_assertion_is_accepted()
    {
        var assertion = Roster.Accepts(Okta.CreateResponse(Answer with { Sign = TestSignedParts.Assertion }));

        Assert.Equal(SamlSignedElements.Assertion, assertion.SignedElements);
    }

    [Fact]
    public void Entra_response_with_only_the_assertion_signed_and_claims_named_by_uri_is_accepted()
    {
        var entra = Roster with { Idp = Entra };
        var response = Entra.CreateResponse(Answer);

        var assertion = entra.Accepts(response);

        Assert.Equal(Entra.EntityId, assertion.Issuer);
        Assert.StartsWith("https://sts.windows.net/", assertion.Issuer);
        Assert.Equal(SamlSignedElements.Assertion, assertion.SignedElements);
        Assert.Equal(response.AssertionId, assertion.AssertionId);
        Assert.StartsWith("_", assertion.AssertionId);
        Assert.Equal(["ada.lovelace@acme.example"], assertion.Attributes["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"]);
        Assert.Equal(2, assertion.Attributes["http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"].Count);
        Assert.Equal(Now.AddMinutes(5), assertion.NotOnOrAfter);
    }

    [Fact]
    public void Entra_response_signed_on_response_and_assertion_is_accepted()
    {
        var assertion = (Roster with { Idp = Entra }).Accepts(Entra.CreateResponse(Answer with { Sign = TestSignedParts.Both }));

        Assert.Equal(SamlSignedElements.Response | SamlSignedElements.Assertion, assertion.SignedElements);
    }

    [Fact]
    public void Usable_until_the_earlier_of_the_conditions_and_the_confirmation()
    {
        var assertion = Roster.Accepts(Okta.CreateResponse(Answer with
        {
            ConfirmationNotOnOrAfter = Now.AddMinutes(2),
            NotOnOrAfter = Now.AddMinutes(10),
            SessionNotOnOrAfter = Now.AddHours(8),
        }));

        Assert.Equal(Now.AddMinutes(2), assertion.NotOnOrAfter);
        Assert.Equal(Now.AddHours(8), assertion.SessionNotOnOrAfter);
    }

    [Fact]
    public void Accepted_while_the_window_has_ended_less_than_the_clock_skew_ago()
    {
        var response = Okta.CreateResponse(Answer);

        Roster.Accepts(response);
        (Roster with { Now = Now.AddMinutes(5 + 2).AddSeconds(-1) }).Accepts(response);
    }

    [Fact]
    public void Either_of_two_configured_certificates_verifies_during_a_key_rollover()
    {
        var rolledOver = new TestIdentityProvider(Okta.EntityId, SamlWireStyle.Okta, Stranger);
        var validator = new SamlResponseValidator(Sp, SettingsOf(Okta, Stranger.PublicOnly()), new SamlValidationPolicy(), Clock);

        Assert.True(validator.Validate(Okta.CreateResponse(Answer).FormValue, RequestId).Succeeded);
        Assert.True(validator.Validate(rolledOver.CreateResponse(Answer).FormValue, RequestId).Succeeded);
    }

    [Fact]
    public void Multi_valued_attributes_keep_their_order_and_names_are_ordinal()
    {
        var assertion = Roster.Accepts(Okta.CreateResponse(Answer with
        {
            Attributes = [new("groups", "b", "a", "c"), new("Groups", "other"), new("groups", "d")],
        }));

        Assert.Equal(["b", "a", "c", "d"], assertion.Attributes["groups"]);
        Assert.Equal(["other"], assertion.Attributes["Groups"]);
    }

    [Fact]
    public void Signed_assertions_required_and_present_is_accepted()
    {
        var strict = Roster with { Sp = Sp with { WantAssertionsSigned = true } };

        Assert.Equal(SamlSignedElements.Response | SamlSignedElements.Assertion, strict.Accepts(Okta.CreateResponse(Answer)).SignedElements);
    }

    [Fact]
    public void A_validator_cannot_be_built_without_an_idp_certificate()
    {
        var noCertificates = SettingsOf(Okta) with { SigningCertificates = [] };

        Assert.Throws<ArgumentException>(() => new SamlResponseValidator(Sp, noCertificates, new SamlValidationPolicy(), TimeProvider.System));
    }
}
