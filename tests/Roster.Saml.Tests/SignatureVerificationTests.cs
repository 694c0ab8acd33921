using System.Security.Cryptography.Xml;
using System.Xml;
using Roster.Saml.Responses;
using Roster.Testing.Saml;
using static Roster.Saml.Tests.SamlTestBed;

namespace Roster.Saml.Tests;

/// <summary>Who may sign, with what, over what: pinned keys only, never KeyInfo; allowlisted
/// algorithms and transforms; a broken signature is fatal even when another one verifies.</summary>
public sealed class SignatureVerificationTests
{
    private static readonly SpUnderTest Roster = SpUnderTest.Default;
    private static readonly SamlResponseOptions AssertionSigned = Answer with { Sign = TestSignedParts.Assertion };

    [Fact]
    public void Unsigned_response_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with { Sign = TestSignedParts.None }, SamlRejectionReason.Unsigned);

    [Fact]
    public void Signature_by_an_unknown_key_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with { SigningCertificate = Stranger, IncludeKeyInfo = false }, SamlRejectionReason.UntrustedSigningKey);

    [Fact]
    public void A_certificate_carried_only_in_KeyInfo_is_not_trusted()
    {
        var rejection = Roster.RefusesVariant(Answer, Answer with { SigningCertificate = Stranger, IncludeKeyInfo = true }, SamlRejectionReason.UntrustedSigningKey);

        Assert.Contains(Stranger.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), rejection.Detail);
    }

    [Fact]
    public void The_IdPs_own_certificate_in_KeyInfo_does_not_rescue_a_strangers_signature() =>
        // KeyInfo names the trusted certificate, but the stranger's key made the signature.
        Roster.RefusesVariant(Answer, Answer with
        {
            SigningCertificate = Stranger,
            IncludeKeyInfo = false,
            CustomizeSignature = signed =>
            {
                signed.KeyInfo = new KeyInfo();
                signed.KeyInfo.AddClause(new KeyInfoX509Data(Okta.PublicCertificate));
            },
        }, SamlRejectionReason.UntrustedSigningKey);

    [Fact]
    public void Rsa_sha1_is_refused_by_default() =>
        Roster.RefusesVariant(Answer, Answer with { Algorithm = TestSignatureAlgorithm.RsaSha1 }, SamlRejectionReason.WeakAlgorithm);

    [Fact]
    public void Rsa_sha1_is_accepted_when_the_enterprise_allows_it()
    {
        var lenient = Roster with { Policy = new SamlValidationPolicy { AllowSha1 = true } };

        var assertion = lenient.Accepts(Okta.CreateResponse(Answer with { Algorithm = TestSignatureAlgorithm.RsaSha1 }));

        Assert.Equal("http://www.w3.org/2000/09/xmldsig#rsa-sha1", assertion.SignatureAlgorithm);
    }

    [Fact]
    public void A_sha1_digest_under_an_rsa_sha256_signature_is_refused() =>
        Roster.RefusesVariant(Answer, Answer with
        {
            CustomizeSignature = signed => FirstReference(signed).DigestMethod = "http://www.w3.org/2000/09/xmldsig#sha1",
        }, SamlRejectionReason.WeakAlgorithm);

    [Fact]
    public void Editing_a_signed_NameID_breaks_the_signature()
    {
        var rejection = Roster.RefusesTampered(AssertionSigned,
            document => NameId(document).InnerText = Victim,
            SamlRejectionReason.SignatureInvalid);

        Assert.Contains("altered after signing", rejection.Detail);
    }

    [Fact]
    public void Editing_a_signed_NameID_of_an_Entra_response_breaks_the_signature() =>
        (Roster with { Idp = Entra }).RefusesTampered(Answer, document => NameId(document).InnerText = Victim, SamlRejectionReason.SignatureInvalid);

    [Fact]
    public void Editing_a_response_signed_twice_breaks_the_response_signature_first()
    {
        var rejection = Roster.RefusesTampered(Answer, document => NameId(document).InnerText = Victim, SamlRejectionReason.SignatureInvalid);

        Assert.Contains("Response", rejection.Detail);
    }

    [Fact]
    public void A_broken_assertion_signature_is_fatal_even_under_a_valid_response_signature()
    {
        // A genuine IdP signature over another assertion, pasted into this one (same ID), under a
        // Response signature that is itself valid.
        var other = Okta.CreateResponse(AssertionSigned with { NameId = "someone.else@acme.example" });
        var pastedSignature = other.ToDocument().GetElementsByTagName("Signature", SamlNamespaces.XmlDsig)[0]!;

        Roster.RefusesVariant(Answer with { Sign = TestSignedParts.Response }, Answer with
        {
            Sign = TestSignedParts.Response,
            BeforeSigning = document =>
            {
                var assertion = (XmlElement)document.GetElementsByTagName("Assertion", SamlNamespaces.Assertion)[0]!;
                assertion.SetAttribute("ID", other.AssertionId);
                var issuer = assertion.GetElementsByTagName("Issuer", SamlNamespaces.Assertion)[0]!;
                assertion.InsertAfter(document.ImportNode(pastedSignature, deep: true), issuer);
            },
        }, SamlRejectionReason.SignatureInvalid);
    }

    [Fact]
    public void An_unreadable_signature_value_is_refused() =>
        Roster.RefusesTampered(AssertionSigned,
            document => document.GetElementsByTagName("SignatureValue", SamlNamespaces.XmlDsig)[0]!.InnerText = "not base64!",
            SamlRejectionReason.MalformedSignature);

    [Fact]
    public void An_xpath_transform_is_refused() =>
        Roster.RefusesVariant(AssertionSigned, AssertionSigned with
        {
            CustomizeSignature = signed => FirstReference(signed).AddTransform(XPathExcludingNameId()),
        }, SamlRejectionReason.DisallowedTransform);

    [Fact]
    public void An_inclusive_canonicalization_transform_is_refused() =>
        Roster.RefusesVariant(AssertionSigned, AssertionSigned with
        {
            CustomizeSignature = signed =>
            {
                var chain = new TransformChain();
                chain.Add(new XmlDsigEnvelopedSignatureTransform());
                chain.Add(new XmlDsigC14NTransform());
                FirstReference(signed).TransformChain = chain;
            },
        }, SamlRejectionReason.DisallowedTransform);

    [Fact]
    public void A_reference_without_the_enveloped_signature_transform_is_refused() =>
        Roster.RefusesVariant(AssertionSigned, AssertionSigned with
        {
            CustomizeSignature = signed =>
            {
                var chain = new TransformChain();
                chain.Add(new XmlDsigExcC14NTransform());
                FirstReference(signed).TransformChain = chain;
            },
        }, SamlRejectionReason.DisallowedTransform);

    [Fact]
    public void Inclusive_canonicalization_of_SignedInfo_is_refused() =>
        Roster.RefusesVariant(AssertionSigned, AssertionSigned with
        {
            CustomizeSignature = signed => signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigC14NTransformUrl,
        }, SamlRejectionReason.DisallowedTransform);

    [Fact]
    public void A_signed_response_with_an_unsigned_assertion_is_refused_when_signed_assertions_are_required()
    {
        var strict = Roster with { Sp = Sp with { WantAssertionsSigned = true } };

        strict.RefusesVariant(Answer, Answer with { Sign = TestSignedParts.Response }, SamlRejectionReason.AssertionNotSigned);
    }

    private static Reference FirstReference(SignedXml signed) => (Reference)signed.SignedInfo!.References[0]!;

    private static XmlElement NameId(XmlDocument document) =>
        (XmlElement)document.GetElementsByTagName("NameID", SamlNamespaces.Assertion)[0]!;

    /// <summary>The classic transform abuse: sign everything except the NameID.</summary>
    private static XmlDsigXPathTransform XPathExcludingNameId()
    {
        var holder = new XmlDocument();
        holder.LoadXml($"<XPath xmlns=\"{SamlNamespaces.XmlDsig}\">not(ancestor-or-self::*[local-name()='NameID'])</XPath>");
        var transform = new XmlDsigXPathTransform();
        transform.LoadInnerXml(holder.ChildNodes);
        return transform;
    }
}
