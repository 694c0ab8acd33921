using System.Security.Cryptography.X509Certificates;
using Roster.Saml.Tests.Support;
using Roster.Testing;

namespace Roster.Saml.Tests.Metadata;

public sealed class IdentityProviderMetadataTests
{
    const string Md = SamlUris.MetadataNamespace;
    const string Ds = SamlUris.XmlDsigNamespace;
    const string EntityId = "https://idp.example/metadata";
    const string SsoUrl = "https://idp.example/sso";

    static readonly Lazy<X509Certificate2> idpKey = new(() => TestCertificates.CreateSelfSigned("idp.example signing"));
    static readonly Lazy<X509Certificate2> idpNextKey = new(() => TestCertificates.CreateSelfSigned("idp.example next signing"));

    [Fact]
    public void Okta_metadata_gives_entity_id_both_sso_urls_and_its_one_signing_certificate()
    {
        var metadata = IdentityProviderMetadata.Parse(Samples.Okta);

        var ssoUrl = new Uri($"https://acme.okta.com/app/acme_roster_1/{Samples.OktaAppId}/sso/saml");
        Assert.Equal($"http://www.okta.com/{Samples.OktaAppId}", metadata.EntityId);
        Assert.Equal(ssoUrl, metadata.RedirectSingleSignOnUrl);
        Assert.Equal(
            new Dictionary<string, Uri> { [SamlUris.HttpPostBinding] = ssoUrl, [SamlUris.HttpRedirectBinding] = ssoUrl },
            metadata.SingleSignOnUrls);
        var certificate = Assert.Single(metadata.SigningCertificates);
        Assert.Contains("O=Okta", certificate.Subject, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2034, 2, 6, 18, 33, 10, DateTimeKind.Utc), certificate.NotAfter.ToUniversalTime());
        Assert.False(certificate.HasPrivateKey);
        Assert.False(metadata.WantAuthnRequestsSigned);
        Assert.Null(metadata.ValidUntil);
    }

    [Fact]
    public void Entra_metadata_gives_both_rollover_certificates_once_each_and_ignores_the_ws_federation_roles()
    {
        var metadata = IdentityProviderMetadata.Parse(Samples.Entra);

        var ssoUrl = new Uri($"https://login.microsoftonline.com/{Samples.EntraTenant}/saml2");
        Assert.Equal($"https://sts.windows.net/{Samples.EntraTenant}/", metadata.EntityId);
        Assert.Equal(ssoUrl, metadata.RedirectSingleSignOnUrl);
        Assert.Equal(ssoUrl, metadata.SingleSignOnUrls[SamlUris.HttpPostBinding]);
        Assert.Equal(2, metadata.SingleSignOnUrls.Count);
        // The RoleDescriptors carry the same two certificates again; only the IDPSSODescriptor's count.
        Assert.Equal(
            [new DateTime(2028, 3, 20, 9, 14, 52, DateTimeKind.Utc), new DateTime(2029, 10, 2, 16, 3, 27, DateTimeKind.Utc)],
            metadata.SigningCertificates.Select(c => c.NotAfter.ToUniversalTime()));
        Assert.All(metadata.SigningCertificates, c => Assert.Equal("CN=Microsoft Azure Federated SSO Certificate", c.Subject));
    }

    [Fact]
    public void To_settings_takes_the_redirect_sso_url_and_the_pinned_certificates()
    {
        var metadata = IdentityProviderMetadata.Parse(Samples.Entra);

        var settings = metadata.ToSettings();

        Assert.Equal(metadata.EntityId, settings.EntityId);
        Assert.Equal(metadata.RedirectSingleSignOnUrl, settings.SingleSignOnUrl);
        Assert.Equal(metadata.SigningCertificates, settings.SigningCertificates);
    }

    [Fact]
    public void Signing_certificates_are_keydescriptors_with_use_signing_or_no_use_deduplicated_by_thumbprint()
    {
        var xml = Metadata(
            Key(idpKey.Value, "signing") + Key(idpKey.Value, null) + Key(idpNextKey.Value, null) +
            Key(SamlTestBed.Stranger, "encryption") + Sso(SamlUris.HttpRedirectBinding, SsoUrl));

        var metadata = IdentityProviderMetadata.Parse(xml);

        Assert.Equal([idpKey.Value.Thumbprint, idpNextKey.Value.Thumbprint], metadata.SigningCertificates.Select(c => c.Thumbprint));
        Assert.All(metadata.SigningCertificates, c => Assert.False(c.HasPrivateKey));
    }

    [Fact]
    public void Elements_are_matched_by_namespace_whatever_the_prefix()
    {
        var xml = Samples.Okta.Replace("md:", "saml2md:", StringComparison.Ordinal).Replace("xmlns:md=", "xmlns:saml2md=", StringComparison.Ordinal)
            .Replace("ds:", "dsig:", StringComparison.Ordinal).Replace("xmlns:ds=", "xmlns:dsig=", StringComparison.Ordinal);
        Assert.Contains("<saml2md:IDPSSODescriptor", xml, StringComparison.Ordinal);

        var metadata = IdentityProviderMetadata.Parse(xml);

        Assert.Single(metadata.SigningCertificates);
    }

    [Fact]
    public void An_element_with_the_right_name_in_another_namespace_is_not_an_idp_descriptor()
    {
        var xml = $"""
            <md:EntityDescriptor xmlns:md="{Md}" xmlns:ds="{Ds}" xmlns:other="urn:example:not-saml" entityID="{EntityId}">
              <other:IDPSSODescriptor protocolSupportEnumeration="{SamlUris.Saml20Protocol}">{Key(idpKey.Value, "signing")}{Sso(SamlUris.HttpRedirectBinding, SsoUrl)}</other:IDPSSODescriptor>
            </md:EntityDescriptor>
            """;

        var error = Assert.Throws<SamlMetadataException>(() => IdentityProviderMetadata.Parse(xml));

        Assert.Contains("has no IDPSSODescriptor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entities_descriptor_holding_one_idp_among_other_entities_gives_that_idp()
    {
        var xml = $"""
            <md:EntitiesDescriptor xmlns:md="{Md}" xmlns:ds="{Ds}">
              <md:EntityDescriptor entityID="https://sp.example/">
                <md:SPSSODescriptor protocolSupportEnumeration="{SamlUris.Saml20Protocol}"/>
              </md:EntityDescriptor>
              <md:EntitiesDescriptor Name="inner">
                {Entity(EntityId, Key(idpKey.Value, "signing") + Sso(SamlUris.HttpRedirectBinding, SsoUrl))}
              </md:EntitiesDescriptor>
            </md:EntitiesDescriptor>
            """;

        var metadata = IdentityProviderMetadata.Parse(xml);

        Assert.Equal(EntityId, metadata.EntityId);
    }

    [Fact]
    public void An_entities_descriptor_holding_two_idps_is_refused_naming_them()
    {
        var idp = Key(idpKey.Value, "signing") + Sso(SamlUris.HttpRedirectBinding, SsoUrl);
        var xml = $"""<md:EntitiesDescriptor xmlns:md="{Md}" xmlns:ds="{Ds}">{Entity("https://one.example/", idp)}{Entity("https://two.example/", idp)}</md:EntitiesDescriptor>""";

        var error = Assert.Throws<SamlMetadataException>(() => IdentityProviderMetadata.Parse(xml));

        Assert.Equal("The EntitiesDescriptor holds 2 identity providers (https://one.example/, https://two.example/). " +
            "Roster needs the metadata of the one IdP this enterprise signs in with.", error.Message);
    }

    [Fact]
    public void Valid_until_is_the_earliest_of_entities_entity_and_idp_descriptor_and_a_zoneless_one_is_utc()
    {
        var xml = $"""
            <md:EntitiesDescriptor xmlns:md="{Md}" xmlns:ds="{Ds}" validUntil="2027-03-01T00:00:00Z">
              {Entity(EntityId, Key(idpKey.Value, "signing") + Sso(SamlUris.HttpRedirectBinding, SsoUrl), entityAttributes: "validUntil=\"2027-02-01T12:00:00\"", idpAttributes: "validUntil=\"2027-04-01T00:00:00+02:00\"")}
            </md:EntitiesDescriptor>
            """;

        var metadata = IdentityProviderMetadata.Parse(xml, SamlTestBed.Clock);

        Assert.Equal(new DateTimeOffset(2027, 2, 1, 12, 0, 0, TimeSpan.Zero), metadata.ValidUntil);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    public void Want_authn_requests_signed_is_read_as_an_xml_boolean(string value, bool expected)
    {
        var xml = Metadata(Key(idpKey.Value, "signing") + Sso(SamlUris.HttpRedirectBinding, SsoUrl), idpAttributes: $"WantAuthnRequestsSigned=\"{value}\"");

        Assert.Equal(expected, IdentityProviderMetadata.Parse(xml).WantAuthnRequestsSigned);
    }

    [Fact]
    public void The_first_location_of_a_binding_listed_twice_wins()
    {
        var xml = Metadata(Key(idpKey.Value, "signing") +
            Sso(SamlUris.HttpRedirectBinding, "https://idp.example/first") + Sso(SamlUris.HttpRedirectBinding, "https://idp.example/second"));

        Assert.Equal(new Uri("https://idp.example/first"), IdentityProviderMetadata.Parse(xml).RedirectSingleSignOnUrl);
    }

    [Fact]
    public void Plain_http_sso_is_accepted_for_a_loopback_test_idp()
    {
        var xml = Metadata(Key(idpKey.Value, "signing") + Sso(SamlUris.HttpRedirectBinding, "http://localhost:8080/realms/test/protocol/saml"));

        Assert.Equal("localhost", IdentityProviderMetadata.Parse(xml).RedirectSingleSignOnUrl.Host);
    }

    public static TheoryData<string, string> Refusals()
    {
        var key = Key(idpKey.Value, "signing");
        var redirect = Sso(SamlUris.HttpRedirectBinding, SsoUrl);
        return new()
        {
            { "", "The IdP metadata is empty." },
            { "   \n", "The IdP metadata is empty." },
            { "entityID=https://idp.example", "The IdP metadata is not well-formed XML (line 1, position 1:" },
            { $"<md:EntityDescriptor xmlns:md=\"{Md}\" entityID=\"x\">", "The IdP metadata is not well-formed XML" },
            {
                $"<!DOCTYPE md:EntityDescriptor [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>{Metadata(key + redirect)}",
                "The IdP metadata contains a DOCTYPE declaration"
            },
            { $"<!DOCTYPE html><html><body>Sign in</body></html>", "The IdP metadata contains a DOCTYPE declaration" },
            { "<html><body><form>Sign in to Okta</form></body></html>", "The document is an HTML page, not SAML metadata." },
            { "<feed xmlns=\"http://www.w3.org/2005/Atom\"/>", "The root element is feed (http://www.w3.org/2005/Atom), not a SAML 2.0 metadata EntityDescriptor" },
            { "<EntityDescriptor entityID=\"x\"/>", "The root element EntityDescriptor is in namespace \"\", not in the SAML 2.0 metadata namespace" },
            { $"<md:EntityDescriptor xmlns:md=\"{Md}\"><md:IDPSSODescriptor/></md:EntityDescriptor>", "The EntityDescriptor has no entityID." },
            {
                $"<md:EntityDescriptor xmlns:md=\"{Md}\" entityID=\"https://sp.example/\"><md:SPSSODescriptor protocolSupportEnumeration=\"{SamlUris.Saml20Protocol}\"/></md:EntityDescriptor>",
                "The metadata of https://sp.example/ has no IDPSSODescriptor. It describes a service provider (SPSSODescriptor)"
            },
            {
                Metadata(key + redirect).Replace(SamlUris.Saml20Protocol, "urn:oasis:names:tc:SAML:1.1:protocol", StringComparison.Ordinal),
                $"The IDPSSODescriptor of {EntityId} does not list SAML 2.0"
            },
            {
                Metadata(key + Sso(SamlUris.HttpPostBinding, SsoUrl)),
                $"The IdP metadata of {EntityId} has no SingleSignOnService with the HTTP-Redirect binding (it offers: HTTP-POST)."
            },
            {
                Metadata(key + Sso(SamlUris.HttpRedirectBinding, "http://idp.example/sso")),
                $"The HTTP-Redirect SingleSignOnService of {EntityId} has Location \"http://idp.example/sso\", which is not an absolute https URL"
            },
            {
                Metadata(key + Sso(SamlUris.HttpRedirectBinding, "/sso")),
                $"The HTTP-Redirect SingleSignOnService of {EntityId} has Location \"/sso\", which is not an absolute https URL"
            },
            {
                Metadata(Key(idpKey.Value, "encryption") + redirect),
                $"The IdP metadata of {EntityId} has no signing certificate"
            },
            {
                Metadata($"<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:KeyName>idp-key</ds:KeyName></ds:KeyInfo></md:KeyDescriptor>{redirect}"),
                $"Signing KeyDescriptor #1 of {EntityId} holds no ds:KeyInfo/ds:X509Data/ds:X509Certificate."
            },
            {
                Metadata($"<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>not*base64</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>{redirect}"),
                $"The ds:X509Certificate of signing KeyDescriptor #1 of {EntityId} is not valid base64."
            },
            {
                Metadata($"<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>SGVsbG8gd29ybGQ=</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>{redirect}"),
                $"The ds:X509Certificate of signing KeyDescriptor #1 of {EntityId} is not a DER-encoded X.509 certificate"
            },
            {
                Metadata(Key(idpKey.Value, "sign") + redirect),
                $"KeyDescriptor #1 of {EntityId} has use=\"sign\"; SAML metadata allows only \"signing\" or \"encryption\"."
            },
            {
                Metadata(key + redirect, idpAttributes: "WantAuthnRequestsSigned=\"yes\""),
                $"WantAuthnRequestsSigned=\"yes\" in the metadata of {EntityId} is not an XML boolean"
            },
            {
                Metadata(key + redirect, entityAttributes: "validUntil=\"next year\""),
                "validUntil=\"next year\" on EntityDescriptor is not an xs:dateTime."
            },
        };
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Unusable_metadata_is_refused_with_a_message_saying_why(string xml, string expectedMessageStart)
    {
        var error = Assert.Throws<SamlMetadataException>(() => IdentityProviderMetadata.Parse(xml, SamlTestBed.Clock));

        Assert.StartsWith(expectedMessageStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_whose_valid_until_has_passed_is_refused_as_expired()
    {
        var clock = SamlTestBed.Clock;
        var xml = Metadata(Key(idpKey.Value, "signing") + Sso(SamlUris.HttpRedirectBinding, SsoUrl), entityAttributes: "validUntil=\"2026-03-14T09:30:00Z\"");

        var error = Assert.Throws<SamlMetadataException>(() => IdentityProviderMetadata.Parse(xml, clock));

        Assert.Equal($"The IdP metadata of {EntityId} expired on 2026-03-14 09:30 UTC (its validUntil). Download current metadata from the identity provider.", error.Message);
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 9, 30, 1, TimeSpan.Zero), IdentityProviderMetadata.Parse(xml.Replace("09:30:00Z", "09:30:01Z", StringComparison.Ordinal), clock).ValidUntil);
    }

    [Fact]
    public void An_expired_enclosing_entities_descriptor_expires_the_idp_in_it()
    {
        var xml = $"""<md:EntitiesDescriptor xmlns:md="{Md}" xmlns:ds="{Ds}" validUntil="2026-01-01T00:00:00Z">{Entity(EntityId, Key(idpKey.Value, "signing") + Sso(SamlUris.HttpRedirectBinding, SsoUrl))}</md:EntitiesDescriptor>""";

        var error = Assert.Throws<SamlMetadataException>(() => IdentityProviderMetadata.Parse(xml, SamlTestBed.Clock));

        Assert.Contains("expired on 2026-01-01 00:00 UTC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signing_certificate_with_a_1024_bit_rsa_key_is_refused()
    {
        using var weak = TestCertificates.CreateSelfSigned("weak idp", rsaKeyBits: 1024);
        var xml = Metadata(Key(weak, "signing") + Sso(SamlUris.HttpRedirectBinding, SsoUrl));

        var error = Assert.Throws<SamlMetadataException>(() => IdentityProviderMetadata.Parse(xml));

        Assert.Equal($"The signing certificate CN=weak idp of {EntityId} has a 1024-bit RSA key; Roster requires at least 2048 bits. " +
            "Have the IdP issue a new signing certificate.", error.Message);
    }

    [Fact]
    public void Metadata_beyond_the_size_limit_is_refused_before_parsing()
    {
        var padding = new string(' ', IdentityProviderMetadata.MaxCharacters);
        var xml = Metadata(Key(idpKey.Value, "signing") + padding + Sso(SamlUris.HttpRedirectBinding, SsoUrl));

        var error = Assert.Throws<SamlMetadataException>(() => IdentityProviderMetadata.Parse(xml));

        Assert.StartsWith($"The IdP metadata is {xml.Length:N0} characters long; Roster reads at most 1,048,576.", error.Message, StringComparison.Ordinal);
    }

    static string Metadata(string idpContent, string entityAttributes = "", string idpAttributes = "") =>
        $"""<md:EntityDescriptor xmlns:md="{Md}" xmlns:ds="{Ds}" entityID="{EntityId}" {entityAttributes}><md:IDPSSODescriptor protocolSupportEnumeration="{SamlUris.Saml20Protocol}" {idpAttributes}>{idpContent}</md:IDPSSODescriptor></md:EntityDescriptor>""";

    static string Entity(string entityId, string idpContent, string entityAttributes = "", string idpAttributes = "") =>
        $"""<md:EntityDescriptor entityID="{entityId}" {entityAttributes}><md:IDPSSODescriptor protocolSupportEnumeration="{SamlUris.Saml20Protocol}" {idpAttributes}>{idpContent}</md:IDPSSODescriptor></md:EntityDescriptor>""";

    static string Key(X509Certificate2 certificate, string? use) =>
        $"""<md:KeyDescriptor{(use is null ? "" : $" use=\"{use}\"")}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(certificate.RawData)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>""";

    static string Sso(string binding, string location) => $"""<md:SingleSignOnService Binding="{binding}" Location="{location}"/>""";
}
