using System.IO.Compression;
using System.Net;
using System.Text;
using System.Xml;
using Roster.Saml.Tests.Support;

namespace Roster.Saml.Tests.Redirect;

public sealed class AuthnRequestRedirectTests
{
    const string Protocol = SamlUris.ProtocolNamespace;
    const string Assertion = SamlUris.AssertionNamespace;

    static readonly ServiceProviderSettings UnsignedSp = new()
    {
        EntityId = "https://roster.example/saml/acme",
        AssertionConsumerServiceUrl = "https://roster.example/saml/acme/acs",
        Certificate = SamlTestBed.SpCertificate,
    };

    static readonly ServiceProviderSettings SigningSp = UnsignedSp with { SignAuthnRequests = true };

    static readonly IdentityProviderSettings Okta = new()
    {
        EntityId = "http://www.okta.com/exkb2lq7x9RzT4wPj697",
        SingleSignOnUrl = new Uri("https://acme.okta.com/app/acme_roster_1/exkb2lq7x9RzT4wPj697/sso/saml"),
        SigningCertificates = [],
    };

    [Fact]
    public void The_request_carries_exactly_the_fields_of_saml_md_section_4()
    {
        var redirect = AuthnRequestRedirect.Create(UnsignedSp, Okta, relayState: null, SamlTestBed.Clock);

        var message = RedirectMessage.Decode(redirect.Location.Query);
        Assert.Equal("SAMLRequest", message.ParameterName);
        Assert.Equal(redirect.RequestXml, message.Xml);
        var request = SafeXml.Load(message.Xml, 100_000).DocumentElement!;
        Assert.Equal((Protocol, "AuthnRequest"), (request.NamespaceURI, request.LocalName));
        Assert.Equal(
            [$"ID={redirect.RequestId}", "Version=2.0", "IssueInstant=2026-03-14T09:30:00Z", $"Destination={Okta.SingleSignOnUrl}",
             "AssertionConsumerServiceURL=https://roster.example/saml/acme/acs", "ProtocolBinding=urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"],
            Attributes(request));

        var children = request.ChildNodes.Cast<XmlNode>().ToList();
        Assert.All(children, c => Assert.Equal(XmlNodeType.Element, c.NodeType));
        // The Issuer alone: no NameIDPolicy, so the IdP sends the NameID format its app is set up with.
        Assert.Equal((Assertion, "Issuer", "https://roster.example/saml/acme"), (Assert.Single(children).NamespaceURI, children[0].LocalName, children[0].InnerText));
    }

    [Fact]
    public void A_request_goes_to_the_redirect_sso_url_of_parsed_idp_metadata()
    {
        var entra = IdentityProviderMetadata.Parse(Samples.Entra).ToSettings();

        var redirect = AuthnRequestRedirect.Create(SigningSp, entra, "k1", SamlTestBed.Clock);

        Assert.StartsWith($"https://login.microsoftonline.com/{Samples.EntraTenant}/saml2?SAMLRequest=", redirect.Location.AbsoluteUri, StringComparison.Ordinal);
        Assert.True(RedirectMessage.Decode(redirect.Location.Query).VerifySignature(SamlTestBed.SpCertificate));
    }

    [Fact]
    public void The_request_id_is_an_ncname_with_160_random_bits_new_each_time()
    {
        var ids = Enumerable.Range(0, 20).Select(_ => AuthnRequestRedirect.Create(UnsignedSp, Okta, null, SamlTestBed.Clock).RequestId).ToList();

        Assert.All(ids, id => Assert.Matches("^_[0-9a-f]{40}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(id, XmlConvert.VerifyNCName(id)));
    }

    [Fact]
    public void Force_authn_is_sent_only_when_asked_for()
    {
        var forced = SafeXml.Load(AuthnRequestRedirect.Create(UnsignedSp, Okta, null, SamlTestBed.Clock, forceAuthn: true).RequestXml, 100_000).DocumentElement!;
        var normal = SafeXml.Load(AuthnRequestRedirect.Create(UnsignedSp, Okta, null, SamlTestBed.Clock).RequestXml, 100_000).DocumentElement!;

        Assert.Equal("true", forced.GetAttribute("ForceAuthn"));
        Assert.False(normal.HasAttribute("ForceAuthn"));
    }

    [Fact]
    public void The_saml_request_is_raw_deflate_then_base64_then_url_encoding()
    {
        var redirect = AuthnRequestRedirect.Create(UnsignedSp, Okta, null, SamlTestBed.Clock);

        Assert.StartsWith(Okta.SingleSignOnUrl.AbsoluteUri + "?SAMLRequest=", redirect.Location.AbsoluteUri, StringComparison.Ordinal);
        var encoded = redirect.Location.Query["?SAMLRequest=".Length..];
        Assert.DoesNotContain('&', encoded);
        Assert.DoesNotMatch("[+/=]", encoded); // base64's +, / and = are escaped
        var compressed = Convert.FromBase64String(Uri.UnescapeDataString(encoded));
        // Raw DEFLATE, as DeflateStream reads it: a zlib header (0x78 …) would not inflate here.
        using var inflate = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var reader = new StreamReader(inflate, Encoding.UTF8);
        Assert.Equal(redirect.RequestXml, reader.ReadToEnd());
    }

    [Fact]
    public void An_unsigned_redirect_has_no_sigalg_and_no_signature()
    {
        var redirect = AuthnRequestRedirect.Create(UnsignedSp, Okta, "k1", SamlTestBed.Clock);

        var message = RedirectMessage.Decode(redirect.Location.Query);
        Assert.False(message.IsSigned);
        Assert.Null(message.SignatureAlgorithm);
        Assert.False(message.VerifySignature(SamlTestBed.SpCertificate));
        Assert.DoesNotContain("SigAlg=", redirect.Location.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("k7Hq2")]
    [InlineData("a b&c=d/é?%")]
    public void A_signed_redirect_verifies_with_the_sp_certificate_and_keeps_the_relay_state(string? relayState)
    {
        var redirect = AuthnRequestRedirect.Create(SigningSp, Okta, relayState, SamlTestBed.Clock);

        var message = RedirectMessage.Decode(redirect.Location.Query);
        Assert.True(message.IsSigned);
        Assert.Equal(SamlUris.RsaSha256, message.SignatureAlgorithm);
        Assert.Equal(relayState, message.RelayState);
        Assert.True(message.VerifySignature(SamlTestBed.SpCertificate));
        Assert.False(message.VerifySignature(SamlTestBed.Stranger));
        // AbsoluteUri keeps the escaping the signature covers (Uri.ToString() would unescape "%20" and "%C3%A9").
        Assert.EndsWith(redirect.Location.Query, redirect.Location.AbsoluteUri, StringComparison.Ordinal);
        var names = redirect.Location.Query.TrimStart('?').Split('&').Select(p => p[..p.IndexOf('=')]);
        Assert.Equal(relayState is null ? ["SAMLRequest", "SigAlg", "Signature"] : ["SAMLRequest", "RelayState", "SigAlg", "Signature"], names);
    }

    [Fact]
    public void The_signature_covers_every_byte_of_saml_request_relay_state_and_sigalg()
    {
        var query = AuthnRequestRedirect.Create(SigningSp, Okta, "k7Hq2", SamlTestBed.Clock).Location.Query;
        Assert.True(RedirectMessage.Decode(query).VerifySignature(SamlTestBed.SpCertificate));

        var parameters = query.TrimStart('?').Split('&').Select(p => (Name: p[..p.IndexOf('=')], Value: p[(p.IndexOf('=') + 1)..])).ToList();
        var tampered = new List<string>();
        string Join(Func<string, string, string?> change) => "?" + string.Join('&',
            parameters.Select(p => change(p.Name, p.Value) is { } value ? $"{p.Name}={value}" : null).Where(p => p is not null));

        tampered.Add(Join((name, value) => name == "RelayState" ? "k7Hq3" : value));
        tampered.Add(Join((name, value) => name == "RelayState" ? null : value));
        tampered.Add(Join((name, value) => name == "SigAlg" ? Uri.EscapeDataString(SamlUris.RsaSha512) : value));
        // Another well-formed request (a different ID) in place of the signed one.
        var otherRequest = AuthnRequestRedirect.Create(UnsignedSp, Okta, null, SamlTestBed.Clock).Location.Query["?SAMLRequest=".Length..];
        tampered.Add(Join((name, value) => name == "SAMLRequest" ? otherRequest : value));
        // One byte of the compressed request flipped where it still inflates.
        tampered.Add(Join((name, value) => name == "SAMLRequest" ? FlipLastCompressedByteThatStillInflates(value) : value));

        Assert.All(tampered, q => Assert.False(RedirectMessage.Decode(q).VerifySignature(SamlTestBed.SpCertificate), q));
    }

    [Fact]
    public void The_query_is_appended_to_an_sso_url_that_already_has_one()
    {
        var google = Okta with { SingleSignOnUrl = new Uri("https://accounts.google.com/o/saml2/idp?idpid=C01abc23d") };

        var redirect = AuthnRequestRedirect.Create(SigningSp, google, "k1", SamlTestBed.Clock);

        Assert.StartsWith("https://accounts.google.com/o/saml2/idp?idpid=C01abc23d&SAMLRequest=", redirect.Location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Single(redirect.Location.AbsoluteUri, '?');
        var message = RedirectMessage.Decode(redirect.Location.Query);
        Assert.True(message.VerifySignature(SamlTestBed.SpCertificate));
        Assert.Equal("https://accounts.google.com/o/saml2/idp?idpid=C01abc23d", SafeXml.Load(message.Xml, 100_000).DocumentElement!.GetAttribute("Destination"));
    }

    [Fact]
    public void Relay_state_up_to_80_utf8_bytes_is_sent_and_beyond_is_refused()
    {
        var eighty = new string('r', 80);
        var eightyOneBytes = new string('é', 40) + "r"; // 41 characters, 81 bytes

        Assert.Equal(eighty, RedirectMessage.Decode(AuthnRequestRedirect.Create(UnsignedSp, Okta, eighty, SamlTestBed.Clock).Location.Query).RelayState);
        var error = Assert.Throws<ArgumentException>("relayState", () => AuthnRequestRedirect.Create(UnsignedSp, Okta, eightyOneBytes, SamlTestBed.Clock));
        Assert.StartsWith("RelayState is 81 bytes; the SAML HTTP-Redirect binding allows at most 80.", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("relayState", () => AuthnRequestRedirect.Create(UnsignedSp, Okta, "", SamlTestBed.Clock));
    }

    [Fact]
    public void Signing_without_a_private_key_is_an_error()
    {
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(SamlTestBed.SpCertificate.RawData);

        Assert.Throws<ArgumentException>("sp", () => AuthnRequestRedirect.Create(SigningSp with { Certificate = null }, Okta, null, SamlTestBed.Clock));
        Assert.Throws<ArgumentException>("sp", () => AuthnRequestRedirect.Create(SigningSp with { Certificate = publicOnly }, Okta, null, SamlTestBed.Clock));
    }

    [Theory]
    [InlineData("http://idp.example/sso")]
    [InlineData("ftp://idp.example/sso")]
    public void An_sso_url_that_is_not_https_is_refused(string url)
    {
        Assert.Throws<ArgumentException>("idp", () => AuthnRequestRedirect.Create(UnsignedSp, Okta with { SingleSignOnUrl = new Uri(url) }, null, SamlTestBed.Clock));
    }

    /// <summary>Flips bits in the last compressed byte whose change still inflates to UTF-8 text, so the
    /// message decodes and only the signature can notice.</summary>
    static string FlipLastCompressedByteThatStillInflates(string encodedValue)
    {
        var original = Convert.FromBase64String(WebUtility.UrlDecode(encodedValue));
        for (var index = original.Length - 1; index >= 0; index--)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var changed = (byte[])original.Clone();
                changed[index] ^= (byte)(1 << bit);
                var candidate = Uri.EscapeDataString(Convert.ToBase64String(changed));
                try
                {
                    RedirectMessage.Decode("SAMLRequest=" + candidate);
                    return candidate;
                }
                catch (FormatException)
                {
                }
            }
        }
        throw new InvalidOperationException("No single-bit change of the request still inflates.");
    }

    static List<string> Attributes(XmlElement element) => element.Attributes.Cast<XmlAttribute>()
        .Where(a => a.Prefix != "xmlns" && a.Name != "xmlns").Select(a => $"{a.Name}={a.Value}").ToList();
}
