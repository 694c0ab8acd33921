using System.Xml;
using Roster.Saml.Responses;
using Roster.Testing.Saml;
using static Roster.Saml.Tests.SamlTestBed;

namespace Roster.Saml.Tests;

/// <summary>
/// XML Signature Wrapping: the signed original stays somewhere a careless verifier finds it while an
/// attacker's copy sits where a careless reader looks. XSW1–8 as "On Breaking SAML" and SAMLRaider
/// define them, CVE-2025-23369's variant, and the shapes that get past the assertion count and must be
/// stopped by the reference and placement rules instead.
/// </summary>
public sealed class SignatureWrappingTests
{
    private static readonly SpUnderTest Roster = SpUnderTest.Default;
    private static readonly SamlResponseOptions ResponseSigned = Answer with { Sign = TestSignedParts.Response };
    private static readonly SamlResponseOptions AssertionSigned = Answer with { Sign = TestSignedParts.Assertion };
    private static readonly Action<XmlElement> AsVictim = SignatureWrapping.Impersonate(Victim);

    [Fact]
    public void Xsw1_evil_response_with_the_signed_original_inside_its_signature_is_refused() =>
        Roster.RefusesTampered(ResponseSigned, d => SignatureWrapping.Xsw1(d, AsVictim), SamlRejectionReason.AssertionCount);

    [Fact]
    public void Xsw2_evil_response_with_the_signed_original_beside_its_signature_is_refused() =>
        Roster.RefusesTampered(ResponseSigned, d => SignatureWrapping.Xsw2(d, AsVictim), SamlRejectionReason.AssertionCount);

    [Fact]
    public void Xsw3_evil_assertion_before_the_signed_one_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, d => SignatureWrapping.Xsw3(d, AsVictim), SamlRejectionReason.AssertionCount);

    [Fact]
    public void Xsw4_evil_assertion_wrapping_the_signed_one_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, d => SignatureWrapping.Xsw4(d, AsVictim), SamlRejectionReason.AssertionCount);

    [Fact]
    public void Xsw5_signed_assertion_made_evil_with_an_unsigned_copy_of_the_original_after_it_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, d => SignatureWrapping.Xsw5(d, AsVictim), SamlRejectionReason.AssertionCount);

    [Fact]
    public void Xsw6_original_assertion_inside_the_evil_assertions_signature_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, d => SignatureWrapping.Xsw6(d, AsVictim), SamlRejectionReason.AssertionCount);

    [Fact]
    public void Xsw7_evil_assertion_inside_extensions_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, d => SignatureWrapping.Xsw7(d, AsVictim), SamlRejectionReason.AssertionCount);

    [Fact]
    public void Xsw8_original_assertion_inside_a_ds_object_of_the_evil_assertions_signature_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, d => SignatureWrapping.Xsw8(d, AsVictim), SamlRejectionReason.AssertionCount);

    [Fact]
    public void Cve_2025_23369_signature_and_original_assertion_moved_into_a_ds_object_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, d => SignatureWrapping.Xsw10(d, AsVictim), SamlRejectionReason.AssertionCount);

    [Fact]
    public void Xsw_on_a_response_signed_twice_is_refused() =>
        Roster.RefusesTampered(Answer, d => SignatureWrapping.Xsw3(d, AsVictim), SamlRejectionReason.AssertionCount);

    [Fact]
    public void Assertion_signature_moved_to_the_response_does_not_sign_the_response()
    {
        // The moved signature still verifies cryptographically (it covers the untouched Assertion), so
        // only the rule "a signature references the element that holds it" catches it.
        var rejection = Roster.RefusesTampered(AssertionSigned, document =>
        {
            var response = document.DocumentElement!;
            var assertion = Element(document, "Assertion");
            var signature = Element(document, "Signature", SamlNamespaces.XmlDsig);
            assertion.RemoveChild(signature);
            response.InsertAfter(signature, Element(document, "Issuer"));
        }, SamlRejectionReason.SignatureReference);

        Assert.Contains("Response", rejection.Detail);
    }

    [Fact]
    public void Response_signature_moved_into_extensions_is_refused() =>
        Roster.RefusesTampered(ResponseSigned, document =>
        {
            var response = document.DocumentElement!;
            var signature = Element(document, "Signature", SamlNamespaces.XmlDsig);
            var extensions = document.CreateElement("samlp", "Extensions", SamlNamespaces.Protocol);
            response.InsertAfter(extensions, signature);
            extensions.AppendChild(signature);
        }, SamlRejectionReason.MisplacedSignature);

    [Fact]
    public void Signature_inside_the_subject_is_refused() =>
        Roster.RefusesTampered(AssertionSigned, document =>
        {
            var signature = Element(document, "Signature", SamlNamespaces.XmlDsig);
            signature.ParentNode!.RemoveChild(signature);
            Element(document, "Subject").AppendChild(signature);
        }, SamlRejectionReason.MisplacedSignature);

    [Fact]
    public void A_second_signature_on_the_assertion_is_refused() =>
        Roster.RefusesTampered(Answer, document =>
        {
            var assertion = Element(document, "Assertion");
            var copy = assertion.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "Signature").CloneNode(deep: true);
            assertion.AppendChild(copy);
        }, SamlRejectionReason.MisplacedSignature);

    [Fact]
    public void An_Id_attribute_shadowing_the_assertion_ID_is_refused() =>
        // The runtime's resolver prefers Id over ID: an element with Id = the assertion's ID would be
        // what the reference digests. Duplicate identifiers across attribute names are refused.
        Roster.RefusesTampered(AssertionSigned, document =>
        {
            var assertion = Element(document, "Assertion");
            var extensions = document.CreateElement("samlp", "Extensions", SamlNamespaces.Protocol);
            extensions.SetAttribute("Id", assertion.GetAttribute("ID"));
            document.DocumentElement!.InsertBefore(extensions, assertion);
        }, SamlRejectionReason.DuplicateId);

    [Fact]
    public void A_signature_over_the_whole_document_is_refused() =>
        Roster.RefusesVariant(AssertionSigned,
            AssertionSigned with { CustomizeSignature = signed => ((System.Security.Cryptography.Xml.Reference)signed.SignedInfo!.References[0]!).Uri = "" },
            SamlRejectionReason.SignatureReference);

    [Fact]
    public void A_signature_with_two_references_is_refused() =>
        Roster.RefusesVariant(AssertionSigned,
            AssertionSigned with
            {
                CustomizeSignature = signed =>
                {
                    var first = (System.Security.Cryptography.Xml.Reference)signed.SignedInfo!.References[0]!;
                    var second = new System.Security.Cryptography.Xml.Reference(first.Uri) { DigestMethod = first.DigestMethod };
                    second.AddTransform(new System.Security.Cryptography.Xml.XmlDsigEnvelopedSignatureTransform());
                    second.AddTransform(new System.Security.Cryptography.Xml.XmlDsigExcC14NTransform());
                    signed.AddReference(second);
                },
            },
            SamlRejectionReason.SignatureReference);

    private static XmlElement Element(XmlDocument document, string localName, string namespaceUri = SamlNamespaces.Assertion) =>
        document.GetElementsByTagName(localName, namespaceUri).OfType<XmlElement>().First();
}
