using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Roster.Saml.Tests.Redirect;

public sealed class RedirectMessageTests
{
    const string LogoutRequest = """<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a1" Version="2.0" IssueInstant="2026-11-28T21:40:17Z"/>""";

    [Fact]
    public void A_signature_over_lower_case_percent_escapes_verifies_against_the_raw_query()
    {
        // ADFS and Entra escape with lower-case hex: the signed bytes are theirs, so a verifier that
        // re-encodes the decoded values (upper-case) would reject a genuine signature.
        var query = LowerCaseEscapes($"SAMLRequest={Encode(LogoutRequest)}&RelayState={Uri.EscapeDataString("/a b")}&SigAlg={Uri.EscapeDataString(SamlUris.RsaSha256)}");
        Assert.Contains("%3a%2f%2f", query, StringComparison.Ordinal);
        query += "&Signature=" + Uri.EscapeDataString(Sign(query, HashAlgorithmName.SHA256));

        var message = RedirectMessage.Decode("?" + query);

        Assert.True(message.VerifySignature(SamlTestBed.SpCertificate));
        Assert.Equal(LogoutRequest, message.Xml);
        Assert.Equal("/a b", message.RelayState);
        Assert.Equal(SamlUris.RsaSha256, message.SignatureAlgorithm);
    }

    [Fact]
    public void Parameters_are_signed_in_binding_order_whatever_their_order_in_the_query()
    {
        var signed = $"SAMLResponse={Encode(LogoutRequest)}&RelayState=k1&SigAlg={Uri.EscapeDataString(SamlUris.RsaSha256)}";
        var signature = Uri.EscapeDataString(Sign(signed, HashAlgorithmName.SHA256));

        var message = RedirectMessage.Decode($"SigAlg={Uri.EscapeDataString(SamlUris.RsaSha256)}&Signature={signature}&extra=1&RelayState=k1&SAMLResponse={Encode(LogoutRequest)}");

        Assert.Equal("SAMLResponse", message.ParameterName);
        Assert.True(message.VerifySignature(SamlTestBed.SpCertificate));
    }

    [Theory]
    [InlineData("http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", true)]
    [InlineData("http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", true)]
    [InlineData("http://www.w3.org/2000/09/xmldsig#rsa-sha1", false)]
    [InlineData("http://www.w3.org/2000/09/xmldsig#hmac-sha1", false)]
    public void Only_rsa_with_sha2_signatures_are_accepted(string sigAlg, bool accepted)
    {
        var hash = sigAlg.EndsWith("384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384
            : sigAlg.EndsWith("512", StringComparison.Ordinal) ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA1;
        var query = $"SAMLRequest={Encode(LogoutRequest)}&SigAlg={Uri.EscapeDataString(sigAlg)}";
        query += "&Signature=" + Uri.EscapeDataString(Sign(query, hash));

        Assert.Equal(accepted, RedirectMessage.Decode(query).VerifySignature(SamlTestBed.SpCertificate));
    }

    [Fact]
    public void A_deflate_bomb_is_refused_while_inflating()
    {
        var bomb = Deflate(new byte[10 * 1024 * 1024]); // 10 MB of zeros in about 10 KB
        Assert.True(bomb.Length < 20 * 1024);

        var error = Assert.Throws<FormatException>(() => RedirectMessage.Decode("SAMLRequest=" + Uri.EscapeDataString(Convert.ToBase64String(bomb))));

        Assert.Equal("The message inflates to more than 102,400 bytes.", error.Message);
    }

    [Fact]
    public void A_message_of_exactly_the_limit_inflates_and_one_byte_more_does_not()
    {
        var xml = "<a>" + new string('x', 993) + "</a>";
        Assert.Equal(1000, Encoding.UTF8.GetByteCount(xml));
        var query = "SAMLRequest=" + Encode(xml);

        Assert.Equal(xml, RedirectMessage.Decode(query, maxInflatedBytes: 1000).Xml);
        Assert.Throws<FormatException>(() => RedirectMessage.Decode(query, maxInflatedBytes: 999));
    }

    [Theory]
    [InlineData("RelayState=k1", "The query must carry exactly one of SAMLRequest and SAMLResponse.")]
    [InlineData("SAMLRequest=AAAA&SAMLResponse=AAAA", "The query must carry exactly one of SAMLRequest and SAMLResponse.")]
    [InlineData("SAMLRequest=AAAA&SAMLRequest=BBBB", "The query has more than one SAMLRequest parameter.")]
    [InlineData("SAMLRequest=not*base64", "SAMLRequest is not base64.")]
    [InlineData("SAMLRequest=/////w%3D%3D", "The message is not raw DEFLATE data.")]
    public void A_malformed_query_is_refused(string query, string expected)
    {
        var error = Assert.Throws<FormatException>(() => RedirectMessage.Decode(query));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Duplicated_relay_state_or_sigalg_or_a_half_signature_is_refused()
    {
        var request = "SAMLRequest=" + Encode(LogoutRequest);

        Assert.Throws<FormatException>(() => RedirectMessage.Decode(request + "&RelayState=a&RelayState=b"));
        Assert.Throws<FormatException>(() => RedirectMessage.Decode(request + "&SigAlg=x&SigAlg=y&Signature=AAAA"));
        Assert.Equal("The query has one of SigAlg and Signature without the other.",
            Assert.Throws<FormatException>(() => RedirectMessage.Decode(request + "&Signature=AAAA")).Message);
        Assert.Equal("The Signature parameter is not base64.",
            Assert.Throws<FormatException>(() => RedirectMessage.Decode(request + "&SigAlg=x&Signature=***")).Message);
    }

    [Fact]
    public void A_message_that_is_not_utf8_is_refused()
    {
        var query = "SAMLRequest=" + Uri.EscapeDataString(Convert.ToBase64String(Deflate([0x3C, 0x61, 0xFF, 0x3E])));

        Assert.Equal("SAMLRequest is not UTF-8.", Assert.Throws<FormatException>(() => RedirectMessage.Decode(query)).Message);
    }

    static string Encode(string xml) => Uri.EscapeDataString(Convert.ToBase64String(Deflate(Encoding.UTF8.GetBytes(xml))));

    static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) deflate.Write(data);
        return output.ToArray();
    }

    static string Sign(string content, HashAlgorithmName hash)
    {
        using var key = SamlTestBed.SpCertificate.GetRSAPrivateKey()!;
        return Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(content), hash, RSASignaturePadding.Pkcs1));
    }

    static string LowerCaseEscapes(string query) => Regex.Replace(query, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant());
}
