using System.Xml;
using Roster.Saml.Responses;
using Roster.Testing;
using Roster.Testing.Saml;
using static Roster.Saml.Tests.SamlTestBed;

namespace Roster.Saml.Tests;

/// <summary>EncryptedAssertion: decrypted with the service provider's key only, under an algorithm
/// allowlist, with uniform failures; and encryption is never mistaken for authentication.</summary>
public sealed class EncryptedAssertionTests
{
    private static readonly SpUnderTest Roster = SpUnderTest.Default;
    private static readonly SamlResponseOptions Encrypted = Answer with { EncryptFor = SpCertificate.PublicOnly() };
    private static readonly SamlResponseOptions EncryptedAssertionSigned = Encrypted with { Sign = TestSignedParts.Assertion };

    [Fact]
    public void Okta_encrypted_assertion_with_aes_gcm_is_decrypted_and_accepted()
    {
        var assertion = Roster.Accepts(Okta.CreateResponse(Encrypted));

        Assert.True(assertion.Encrypted);
        Assert.Equal(SamlSignedElements.Response | SamlSignedElements.Assertion, assertion.SignedElements);
        Assert.Equal("ada.lovelace@acme.example", assertion.NameId);
        Assert.Equal(["Engineering", "Roster Admins"], assertion.Attributes["groups"]);
    }

    [Fact]
    public void Aes_cbc_is_accepted() =>
        Assert.True(Roster.Accepts(Okta.CreateResponse(Encrypted with { DataEncryption = TestDataEncryption.Aes256Cbc })).Encrypted);

    [Fact]
    public void Rsa_oaep_with_sha256_key_transport_is_accepted() =>
        Assert.True(Roster.Accepts(Okta.CreateResponse(Encrypted with { KeyTransport = TestKeyTransport.RsaOaepSha256 })).Encrypted);

    [Fact]
    public void Entra_encrypted_assertion_with_the_key_inside_KeyInfo_is_accepted() =>
        Assert.True((Roster with { Idp = Entra }).Accepts(Entra.CreateResponse(Encrypted)).Encrypted);

    [Fact]
    public void An_encrypted_assertion_signed_inside_under_an_unsigned_response_is_accepted() =>
        Assert.Equal(SamlSignedElements.Assertion, Roster.Accepts(Okta.CreateResponse(EncryptedAssertionSigned)).SignedElements);

    [Fact]
    public void An_unsigned_encrypted_assertion_under_a_signed_response_is_accepted() =>
        Assert.Equal(SamlSignedElements.Response, Roster.Accepts(Okta.CreateResponse(Encrypted with { Sign = TestSignedParts.Response })).SignedElements);

    [Fact]
    public void An_attacker_encrypting_an_unsigned_assertion_to_our_public_certificate_is_refused() =>
        Roster.RefusesVariant(EncryptedAssertionSigned, Encrypted with { Sign = TestSignedParts.None, NameId = Victim }, SamlRejectionReason.Unsigned);

    [Fact]
    public void Rsa_pkcs1_v15_key_transport_is_refused() =>
        Roster.RefusesVariant(Encrypted, Encrypted with { KeyTransport = TestKeyTransport.RsaPkcs1 }, SamlRejectionReason.DisallowedEncryption);

    [Fact]
    public void An_assertion_encrypted_to_another_key_cannot_be_decrypted() =>
        Roster.RefusesVariant(Encrypted, Encrypted with { EncryptFor = Stranger }, SamlRejectionReason.DecryptionFailed);

    [Fact]
    public void Without_a_service_provider_key_an_encrypted_assertion_is_refused()
    {
        var keyless = Roster with { Sp = Sp with { Certificate = null } };

        keyless.Refuses(Okta.CreateResponse(Encrypted), SamlRejectionReason.NoDecryptionKey);
        (Roster with { Sp = Sp with { Certificate = SpCertificate.PublicOnly() } })
            .Refuses(Okta.CreateResponse(Encrypted), SamlRejectionReason.NoDecryptionKey);
    }

    [Fact]
    public void Tampered_gcm_ciphertext_is_refused_uniformly() =>
        Roster.RefusesTampered(EncryptedAssertionSigned, document => FlipFirstByte(DataCipherValue(document)), SamlRejectionReason.DecryptionFailed);

    [Fact]
    public void Tampered_cbc_ciphertext_is_refused_with_the_same_reason_as_a_bad_key()
    {
        var cbc = EncryptedAssertionSigned with { DataEncryption = TestDataEncryption.Aes256Cbc };
        var tampered = Roster.RefusesTampered(cbc, document => FlipFirstByte(DataCipherValue(document)), SamlRejectionReason.DecryptionFailed);
        var wrongKey = Roster.Refuses(Okta.CreateResponse(cbc with { EncryptFor = Stranger }), SamlRejectionReason.DecryptionFailed);

        Assert.Equal(wrongKey.Detail, tampered.Detail);
    }

    [Fact]
    public void Tampered_ciphertext_under_a_signed_response_breaks_the_response_signature_before_decryption() =>
        Roster.RefusesTampered(Encrypted, document => FlipFirstByte(DataCipherValue(document)), SamlRejectionReason.SignatureInvalid);

    [Fact]
    public void A_retrieval_method_pointing_outside_the_message_is_refused() =>
        Roster.RefusesTampered(EncryptedAssertionSigned, document =>
        {
            var retrieval = (XmlElement)document.GetElementsByTagName("RetrievalMethod", SamlNamespaces.XmlDsig)[0]!;
            retrieval.SetAttribute("URI", "https://attacker.example/key.xml");
        }, SamlRejectionReason.DisallowedEncryption);

    [Fact]
    public void The_decrypted_assertion_is_held_to_the_same_structure() =>
        Roster.RefusesVariant(EncryptedAssertionSigned, EncryptedAssertionSigned with { BeforeSigning = ResponseEdits.NestAssertionCopyInAdvice },
            SamlRejectionReason.AssertionCount);

    [Fact]
    public void A_comment_inside_the_encrypted_assertion_is_refused() =>
        Roster.RefusesVariant(EncryptedAssertionSigned, EncryptedAssertionSigned with
        {
            NameId = Victim + ".evil.example",
            BeforeSigning = document => ResponseEdits.SplitNameIdWithComment(document, Victim, ".evil.example"),
        }, SamlRejectionReason.ForbiddenNode);

    private static XmlElement DataCipherValue(XmlDocument document)
    {
        var encryptedData = (XmlElement)document.GetElementsByTagName("EncryptedData", SamlNamespaces.XmlEnc)[0]!;
        return encryptedData.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "CipherData")
            .ChildNodes.OfType<XmlElement>().Single();
    }

    private static void FlipFirstByte(XmlElement cipherValue)
    {
        byte[] bytes = Convert.FromBase64String(cipherValue.InnerText);
        bytes[0] ^= 0x01;
        cipherValue.InnerText = Convert.ToBase64String(bytes);
    }
}
