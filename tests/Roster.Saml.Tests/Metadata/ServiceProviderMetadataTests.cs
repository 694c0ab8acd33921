using System.Xml;

namespace Roster.Saml.Tests.Metadata;

public sealed class ServiceProviderMetadataTests
{
    const string Md = SamlUris.MetadataNamespace;
    const string Ds = SamlUris.XmlDsigNamespace;

    static ServiceProviderSettings Sp(bool signAuthnRequests = true, bool wantAssertionsSigned = true, bool withCertificate = true) => new()
    {
        EntityId = "https://roster.example/saml/acme",
        AssertionConsumerServiceUrl = "https://roster.example/saml/acme/acs",
        Certificate = withCertificate ? SamlTestBed.SpCertificate : null,
        SignAuthnRequests = signAuthnRequests,
        WantAssertionsSigned = wantAssertionsSigned,
    };

    [Fact]
    public void Full_metadata_has_exactly_the_entity_descriptor_of_saml_md_section_3()
    {
        var xml = ServiceProviderMetadata.Write(Sp(), includeEncryptionKey: true, validUntil: new DateTimeOffset(2027, 1, 31, 12, 0, 0, TimeSpan.Zero));

        var root = SafeXml.Load(xml, 100_000).DocumentElement!;
        AssertName(root, Md, "EntityDescriptor");
        Assert.Equal(["entityID=https://roster.example/saml/acme", "validUntil=2027-01-31T12:00:00Z"], Attributes(root));

        var sso = Assert.Single(Elements(root));
        AssertName(sso, Md, "SPSSODescriptor");
        Assert.Equal(["protocolSupportEnumeration=urn:oasis:names:tc:SAML:2.0:protocol", "AuthnRequestsSigned=true", "WantAssertionsSigned=true"], Attributes(sso));
        Assert.Equal(
            ["KeyDescriptor", "KeyDescriptor", "NameIDFormat", "NameIDFormat", "AssertionConsumerService"],
            Elements(sso).Select(e => { Assert.Equal(Md, e.NamespaceURI); return e.LocalName; }));

        var keys = Elements(sso).Where(e => e.LocalName == "KeyDescriptor").ToList();
        Assert.Equal(["use=signing"], Attributes(keys[0]));
        Assert.Equal(["use=encryption"], Attributes(keys[1]));
        foreach (var key in keys)
        {
            var keyInfo = Assert.Single(Elements(key), e => e.LocalName == "KeyInfo");
            AssertName(keyInfo, Ds, "KeyInfo");
            var certificate = Assert.Single(Elements(Assert.Single(Elements(keyInfo))));
            AssertName(certificate, Ds, "X509Certificate");
            Assert.Equal(Convert.ToBase64String(SamlTestBed.SpCertificate.RawData), certificate.InnerText);
        }
        Assert.DoesNotContain(Elements(keys[0]), e => e.LocalName == "EncryptionMethod");
        Assert.Equal(
            [SamlUris.Aes256Gcm, SamlUris.Aes128Gcm, SamlUris.RsaOaep, SamlUris.RsaOaepMgf1p],
            Elements(keys[1]).Where(e => e.LocalName == "EncryptionMethod").Select(e => { AssertName(e, Md, "EncryptionMethod"); return e.GetAttribute("Algorithm"); }));

        Assert.Equal(
            [SamlUris.NameIdFormatEmailAddress, SamlUris.NameIdFormatUnspecified],
            Elements(sso).Where(e => e.LocalName == "NameIDFormat").Select(e => e.InnerText));

        var acs = Elements(sso).Single(e => e.LocalName == "AssertionConsumerService");
        Assert.Equal(
            ["Binding=urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", "Location=https://roster.example/saml/acme/acs", "index=0", "isDefault=true"],
            Attributes(acs));
        Assert.Empty(Elements(acs));
    }

    [Fact]
    public void Without_signed_requests_or_encryption_there_is_no_key_and_no_valid_until()
    {
        var xml = ServiceProviderMetadata.Write(Sp(signAuthnRequests: false, wantAssertionsSigned: false), includeEncryptionKey: false);

        var root = SafeXml.Load(xml, 100_000).DocumentElement!;
        Assert.Equal(["entityID=https://roster.example/saml/acme"], Attributes(root));
        var sso = Elements(root).Single();
        Assert.Equal(["protocolSupportEnumeration=urn:oasis:names:tc:SAML:2.0:protocol", "AuthnRequestsSigned=false", "WantAssertionsSigned=false"], Attributes(sso));
        Assert.DoesNotContain(Elements(sso), e => e.LocalName == "KeyDescriptor");
    }

    [Fact]
    public void Encryption_without_signed_requests_publishes_only_the_encryption_key()
    {
        var xml = ServiceProviderMetadata.Write(Sp(signAuthnRequests: false), includeEncryptionKey: true);

        var sso = Elements(SafeXml.Load(xml, 100_000).DocumentElement!).Single();
        var key = Assert.Single(Elements(sso), e => e.LocalName == "KeyDescriptor");
        Assert.Equal("encryption", key.GetAttribute("use"));
    }

    [Fact]
    public void Only_the_public_certificate_is_written()
    {
        var xml = ServiceProviderMetadata.Write(Sp(), includeEncryptionKey: true);

        Assert.DoesNotContain("PRIVATE", xml, StringComparison.OrdinalIgnoreCase);
        var certificates = SafeXml.Load(xml, 100_000).GetElementsByTagName("X509Certificate", Ds).Cast<XmlElement>().ToList();
        Assert.Equal(2, certificates.Count);
        Assert.All(certificates, c =>
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c.InnerText));
            Assert.False(certificate.HasPrivateKey);
            Assert.Equal(SamlTestBed.SpCertificate.Thumbprint, certificate.Thumbprint);
        });
    }

    [Fact]
    public void Values_are_escaped_and_come_back_unchanged()
    {
        var sp = Sp() with { EntityId = "https://roster.example/saml/a&b?x=\"1\"<2>" };

        var root = SafeXml.Load(ServiceProviderMetadata.Write(sp, includeEncryptionKey: false), 100_000).DocumentElement!;

        Assert.Equal(sp.EntityId, root.GetAttribute("entityID"));
    }

    [Fact]
    public void The_document_declares_utf8_and_has_no_byte_order_mark()
    {
        var xml = ServiceProviderMetadata.Write(Sp(), includeEncryptionKey: false);

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Sp_metadata_given_as_idp_metadata_is_refused_as_sp_metadata()
    {
        var xml = ServiceProviderMetadata.Write(Sp(), includeEncryptionKey: true);

        var error = Assert.Throws<SamlMetadataException>(() => IdentityProviderMetadata.Parse(xml));

        Assert.Contains("this is SP metadata, perhaps Roster's own", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_key_asked_for_without_a_certificate_is_an_error(bool signAuthnRequests, bool includeEncryptionKey)
    {
        var sp = Sp(signAuthnRequests: signAuthnRequests, withCertificate: false);

        Assert.Throws<ArgumentException>("sp", () => ServiceProviderMetadata.Write(sp, includeEncryptionKey));
    }

    static void AssertName(XmlElement element, string namespaceUri, string localName)
    {
        Assert.Equal(namespaceUri, element.NamespaceURI);
        Assert.Equal(localName, element.LocalName);
    }

    static List<XmlElement> Elements(XmlElement parent) => parent.ChildNodes.OfType<XmlElement>().ToList();

    /// <summary>The attributes other than namespace declarations, as name=value in document order.</summary>
    static List<string> Attributes(XmlElement element) => element.Attributes.Cast<XmlAttribute>()
        .Where(a => a.Prefix != "xmlns" && a.Name != "xmlns").Select(a => $"{a.Name}={a.Value}").ToList();
}
