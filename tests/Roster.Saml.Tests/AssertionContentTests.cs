using System.Xml;
using Roster.Saml.Responses;
using Roster.Testing.Saml;
using static Roster.Saml.Tests.SamlTestBed;

namespace Roster.Saml.Tests;

/// <summary>Who issued the Response, whether it succeeded, and whether the assertion says who signed
/// in: Issuer, Status, Subject, NameID, AuthnStatement.</summary>
public sealed class AssertionContentTests
{
    private static readonly SpUnderTest Roster = SpUnderTest.Default;

    [Fact]
    public void A_response_from_another_issuer_signed_with_the_trusted_key_is_refused()
    {
        var impostor = new TestIdentityProvider("http://www.okta.com/exk0ther0app", SamlWireStyle.Okta, Okta.Certificate);

        Roster.Accepts(Okta.CreateResponse(Answer));
        var rejection = Roster.Refuses(impostor.CreateResponse(Answer), SamlRejectionReason.IssuerMismatch);
        Assert.Contains("exk0ther0app", rejection.Detail);
    }

    [Fact]
    public void An_assertion_issuer_that_differs_from_the_response_issuer_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Elements(document, "Issuer").Last().InnerText = "http://www.okta.com/exk0ther0app",
        }, SamlRejectionReason.IssuerMismatch);

    [Fact]
    public void An_issuer_of_another_format_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Elements(document, "Issuer").Last().SetAttribute("Format", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"),
        }, SamlRejectionReason.IssuerMismatch);

    [Fact]
    public void An_assertion_without_issuer_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Remove(Elements(document, "Issuer").Last()),
        }, SamlRejectionReason.IssuerMismatch);

    [Fact]
    public void A_signed_non_success_status_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with { StatusCode = "urn:oasis:names:tc:SAML:2.0:status:Requester" }, SamlRejectionReason.StatusNotSuccess);

    [Fact]
    public void An_idp_error_without_assertion_is_reported_as_its_status()
    {
        var rejection = Roster.Refuses(Okta.CreateResponse(Answer with
        {
            StatusCode = "urn:oasis:names:tc:SAML:2.0:status:Responder",
            Sign = TestSignedParts.Response,
            BeforeSigning = document => document.DocumentElement!.RemoveChild(Elements(document, "Assertion").Single()),
        }), SamlRejectionReason.StatusNotSuccess);

        Assert.Contains("status:Responder", rejection.Detail);
    }

    [Fact]
    public void A_response_without_assertion_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            Sign = TestSignedParts.Response,
            BeforeSigning = document => document.DocumentElement!.RemoveChild(Elements(document, "Assertion").Single()),
        }, SamlRejectionReason.AssertionCount);

    [Fact]
    public void An_empty_NameID_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with { NameId = " " }, SamlRejectionReason.NameIdMissing);

    [Fact]
    public void A_subject_without_NameID_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Remove(Elements(document, "NameID").Single()),
        }, SamlRejectionReason.NameIdMissing);

    [Fact]
    public void A_NameID_qualified_for_another_service_provider_is_refused()
    {
        Roster.Accepts(Okta.CreateResponse(Answer with
        {
            BeforeSigning = document => Elements(document, "NameID").Single().SetAttribute("SPNameQualifier", SpEntityId),
        }));
        Roster.Refuses(Okta.CreateResponse(Answer with
        {
            BeforeSigning = document => Elements(document, "NameID").Single().SetAttribute("SPNameQualifier", "https://roster.example/saml/globex"),
        }), SamlRejectionReason.NameIdQualifierMismatch);
    }

    [Fact]
    public void An_assertion_without_subject_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Remove(Elements(document, "Subject").Single()),
        }, SamlRejectionReason.SubjectCount);

    [Fact]
    public void Two_authn_statements_are_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document =>
            {
                var statement = Elements(document, "AuthnStatement").Single();
                statement.ParentNode!.InsertAfter(statement.CloneNode(deep: true), statement);
            },
        }, SamlRejectionReason.AuthnStatementCount);

    [Fact]
    public void An_assertion_without_authn_statement_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            BeforeSigning = document => Remove(Elements(document, "AuthnStatement").Single()),
        }, SamlRejectionReason.AuthnStatementCount);

    [Fact]
    public void Attribute_values_are_read_whole_and_nil_values_skipped()
    {
        var assertion = Roster.Accepts(Okta.CreateResponse(Answer with
        {
            Attributes = [new("department", "Research", "Analytical Engines")],
            BeforeSigning = document =>
            {
                var values = Elements(document, "AttributeValue").ToList();
                values[0].AppendChild(document.CreateTextNode(" & Development"));
                var nil = document.CreateAttribute("xsi", "nil", SamlNamespaces.XmlSchemaInstance);
                nil.Value = "true";
                values[1].Attributes.Append(nil);
            },
        }));

        Assert.Equal(["Research & Development"], assertion.Attributes["department"]);
    }

    private static IEnumerable<XmlElement> Elements(XmlDocument document, string localName) =>
        document.GetElementsByTagName(localName, SamlNamespaces.Assertion).OfType<XmlElement>();

    private static void Remove(XmlElement element) => element.ParentNode!.RemoveChild(element);
}
