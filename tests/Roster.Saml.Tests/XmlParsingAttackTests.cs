using System.Xml;
using Roster.Saml.Responses;
using Roster.Testing.Saml;
using static Roster.Saml.Tests.SamlTestBed;

namespace Roster.Saml.Tests;

/// <summary>Attacks on the way the message is decoded and parsed, before any signature is looked at:
/// size, encoding, DTDs and entities, comment truncation, nesting, identifiers, shape.</summary>
public sealed class XmlParsingAttackTests
{
    private static readonly SpUnderTest Roster = SpUnderTest.Default;
    private static readonly SamlResponseOptions AssertionSigned = Answer with { Sign = TestSignedParts.Assertion };

    [Fact]
    public void A_doctype_is_refused() =>
        Roster.RefusesRewritten(Answer, xml => WithDoctype(xml, "<!DOCTYPE saml2p:Response>"), SamlRejectionReason.DtdProhibited);

    [Fact]
    public void Entity_expansion_billion_laughs_is_refused()
    {
        const string laughs = """
            <!DOCTYPE saml2p:Response [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
              <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
              <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
              <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
              <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
              <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            """;
        Roster.RefusesRewritten(Answer,
            xml => WithDoctype(xml, laughs).Replace("ada.lovelace@acme.example</saml2:NameID>", "&lol9;</saml2:NameID>"),
            SamlRejectionReason.DtdProhibited);
    }

    [Fact]
    public void An_external_entity_is_refused() =>
        Roster.RefusesRewritten(Answer,
            xml => WithDoctype(xml, "<!DOCTYPE saml2p:Response [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>")
                .Replace("ada.lovelace@acme.example</saml2:NameID>", "&xxe;</saml2:NameID>"),
            SamlRejectionReason.DtdProhibited);

    [Fact]
    public void A_comment_injected_into_a_signed_NameID_is_refused()
    {
        // The IdP signed "admin@acme.example.evil.example"; a comment splits it so that code reading
        // the first text node sees "admin@acme.example". Same-document references digest without
        // comments, so the signature still verifies: only refusing comments stops this.
        var rejection = Roster.RefusesTampered(AssertionSigned with { NameId = Victim + ".evil.example" },
            document => ResponseEdits.SplitNameIdWithComment(document, Victim, ".evil.example"),
            SamlRejectionReason.ForbiddenNode);

        Assert.Contains("comment", rejection.Detail);
    }

    [Fact]
    public void A_processing_instruction_is_refused() =>
        Roster.RefusesTampered(AssertionSigned,
            document => document.DocumentElement!.AppendChild(document.CreateProcessingInstruction("evil", "x")),
            SamlRejectionReason.ForbiddenNode);

    [Fact]
    public void A_cdata_section_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, document =>
        {
            var nameId = document.GetElementsByTagName("NameID", SamlNamespaces.Assertion)[0]!;
            nameId.InnerXml = "";
            nameId.AppendChild(document.CreateCDataSection(Victim));
        }, SamlRejectionReason.ForbiddenNode);

    [Fact]
    public void Hostile_nesting_depth_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, document =>
        {
            XmlNode parent = document.DocumentElement!;
            for (int level = 0; level < 100; level++) parent = parent.AppendChild(document.CreateElement("x"))!;
        }, SamlRejectionReason.TooDeeplyNested);

    [Fact]
    public void Malformed_xml_is_refused() =>
        Roster.RefusesRewritten(Answer, xml => xml[..^10], SamlRejectionReason.MalformedXml);

    [Fact]
    public void A_form_value_that_is_not_base64_is_refused() =>
        Roster.Refuses("PHNhbWxwOlJlc3BvbnNl*not-base64*", SamlRejectionReason.NotBase64);

    [Fact]
    public void An_empty_form_value_is_refused()
    {
        Roster.Refuses("", SamlRejectionReason.NotBase64);
        Roster.Refuses((string)null!, SamlRejectionReason.NotBase64);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused() =>
        Roster.Refuses(Convert.ToBase64String([0x3C, 0x61, 0xFF, 0xFE, 0x3E]), SamlRejectionReason.NotUtf8);

    [Fact]
    public void An_oversized_form_value_is_refused_before_decoding()
    {
        var response = Okta.CreateResponse(Answer);
        var small = Roster with { Policy = new SamlValidationPolicy { MaxResponseBytes = 4_000 } };

        Roster.Accepts(response);
        small.Refuses(response, SamlRejectionReason.TooLarge);
        Roster.Refuses(new string('A', 1_400_000), SamlRejectionReason.TooLarge);
    }

    [Fact]
    public void A_message_that_is_not_a_response_is_refused() =>
        Roster.RefusesRewritten(Answer,
            xml => xml.Replace("<saml2p:Response ", "<saml2p:ArtifactResponse ").Replace("</saml2p:Response>", "</saml2p:ArtifactResponse>"),
            SamlRejectionReason.NotAResponse);

    [Fact]
    public void A_response_in_a_lookalike_namespace_is_refused() =>
        Roster.RefusesRewritten(Answer,
            xml => xml.Replace("xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\"", "xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol \""),
            SamlRejectionReason.NotAResponse);

    [Fact]
    public void A_response_of_another_version_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, document => document.DocumentElement!.SetAttribute("Version", "1.1"), SamlRejectionReason.UnsupportedVersion);

    [Fact]
    public void A_response_without_ID_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, document => document.DocumentElement!.RemoveAttribute("ID"), SamlRejectionReason.MissingId);

    [Fact]
    public void Two_assertions_are_refused() =>
        Roster.RefusesTampered(AssertionSigned, document =>
        {
            var assertion = (XmlElement)document.GetElementsByTagName("Assertion", SamlNamespaces.Assertion)[0]!;
            var second = (XmlElement)assertion.CloneNode(deep: true);
            second.SetAttribute("ID", "_second");
            document.DocumentElement!.AppendChild(second);
        }, SamlRejectionReason.AssertionCount);

    [Fact]
    public void An_assertion_hidden_in_the_signed_assertions_advice_is_refused() =>
        // Signed by the IdP, even: a nested assertion is never a second source of identity.
        Roster.RefusesVariant(AssertionSigned, AssertionSigned with { BeforeSigning = ResponseEdits.NestAssertionCopyInAdvice },
            SamlRejectionReason.AssertionCount);

    [Fact]
    public void An_assertion_that_is_not_a_child_of_the_response_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, document =>
        {
            var assertion = document.GetElementsByTagName("Assertion", SamlNamespaces.Assertion)[0]!;
            var wrapper = document.CreateElement("samlp", "Extensions", SamlNamespaces.Protocol);
            document.DocumentElement!.ReplaceChild(wrapper, assertion);
            wrapper.AppendChild(assertion);
        }, SamlRejectionReason.MisplacedAssertion);

    [Fact]
    public void Duplicate_IDs_are_refused() =>
        Roster.RefusesTampered(AssertionSigned, document =>
        {
            var response = document.DocumentElement!;
            var status = (XmlElement)document.GetElementsByTagName("Status", SamlNamespaces.Protocol)[0]!;
            status.SetAttribute("ID", response.GetAttribute("ID"));
        }, SamlRejectionReason.DuplicateId);

    private static string WithDoctype(string xml, string doctype) =>
        xml.Replace("?><saml2p:Response", "?>" + doctype + "<saml2p:Response");
}
