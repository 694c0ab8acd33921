using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Roster.Testing.Saml;

namespace Roster.Tests.Hostile;

/// <summary>
/// Breaks a signed SAML Response in one of many ways, each of which must get it refused: its base64
/// (cut, invalid characters, encoded twice), its XML (a byte inserted in signed content, cut, a DTD
/// with entities), its signatures (a flipped bit in a value or digest, removed, another algorithm),
/// signed content edited (NameID, Audience, Issuer), an unsigned Assertion wrapped around the signed
/// one, or the form itself (content type, field missing, field twice).
/// </summary>
public sealed partial class SamlMutator(Random random)
{
    public (HttpContent Content, string Defect) Mutate(TestSamlResponse response, string? relayState)
    {
        var encoded = response.FormValue;
        var xml = response.Xml;
        var (value, defect) = random.Next(16) switch
        {
            0 => (encoded[..random.Next(1, encoded.Length - 1)], "base64 cut"),
            1 => (Insert(encoded, random.Next(encoded.Length), random.Next(4) switch { 0 => "*", 1 => "!", 2 => "\u00e9", _ => "%" }), "base64 with an invalid character"),
            2 => (Convert.ToBase64String(Encoding.UTF8.GetBytes(encoded)), "base64 encoded twice"),
            3 => (Convert.ToBase64String(RandomBytes()), "random bytes"),
            4 => (random.Next(2) == 0 ? "====" : "AAAA", "empty XML"),
            5 => (Encode(InsertInSignedContent(xml)), "a byte inserted in signed content"),
            6 => (Encode(xml[..random.Next(1, xml.Length - 1)]), "XML cut"),
            7 => (Encode(WithDoctype(xml, "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>")), "external entity"),
            8 => (Encode(WithDoctype(xml, "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>")), "entity expansion"),
            9 => (Encode(FlipBase64Element(xml, "SignatureValue")), "signature value with a flipped bit"),
            10 => (Encode(FlipBase64Element(xml, "DigestValue")), "digest with a flipped bit"),
            11 => (Encode(SignatureRegex().Replace(xml, "")), "signatures removed"),
            12 => (Encode(xml.Replace("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                random.Next(2) == 0 ? "http://www.w3.org/2000/09/xmldsig#hmac-sha1" : "http://www.w3.org/2000/09/xmldsig#rsa-sha1", StringComparison.Ordinal)),
                "another signature algorithm"),
            13 => (Encode(EditText(xml, random.Next(3) switch { 0 => "NameID", 1 => "Audience", _ => "Issuer" })), "signed content edited"),
            14 => (Encode(Wrapped(xml)), "an unsigned Assertion wrapped around the signed one"),
            _ => (encoded, "form"),
        };

        var fields = new List<KeyValuePair<string, string>> { new("SAMLResponse", value) };
        if (relayState is not null) fields.Add(new("RelayState", relayState));
        if (defect != "form") return (new FormUrlEncodedContent(fields), defect);

        // The form itself is wrong; the Response in it is valid.
        switch (random.Next(4))
        {
            case 0:
                return (new StringContent(new FormUrlEncodedContent(fields).ReadAsStringAsync().Result, Encoding.UTF8, "text/plain"), "form as text/plain");
            case 1:
                return (new FormUrlEncodedContent(fields.Skip(1).Append(new("SAMLRequest", value))), "form without SAMLResponse");
            case 2:
                return (new FormUrlEncodedContent(fields.Append(new("SAMLResponse", Convert.ToBase64String(RandomBytes())))), "SAMLResponse twice");
            default:
                return (new MultipartFormDataContent { { new StringContent(value), "SAMLResponse" } }, "multipart form");
        }
    }

    static string Encode(string xml) => TestSamlResponse.Encode(xml);

    static string Insert(string text, int at, string inserted) => text[..at] + inserted + text[at..];

    byte[] RandomBytes()
    {
        var bytes = new byte[random.Next(1, 400)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A letter inserted somewhere in the root element but outside the signatures (whose KeyInfo
    /// and whitespace are not covered by the digest): always in signed text, or a malformed document.</summary>
    string InsertInSignedContent(string xml)
    {
        var root = xml.IndexOf('<', xml.StartsWith("<?", StringComparison.Ordinal) ? xml.IndexOf("?>", StringComparison.Ordinal) : 0);
        var excluded = SignatureRegex().Matches(xml).Select(m => (m.Index, End: m.Index + m.Length)).ToList();
        while (true)
        {
            var at = random.Next(root, xml.Length);
            if (excluded.All(e => at <= e.Index || at >= e.End)) return Insert(xml, at, "Z");
        }
    }

    static string WithDoctype(string xml, string doctype)
    {
        var start = xml.StartsWith("<?", StringComparison.Ordinal) ? xml.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
        return xml[..start] + doctype + xml[start..];
    }

    string FlipBase64Element(string xml, string localName)
    {
        var document = Load(xml);
        var elements = document.GetElementsByTagName(localName, SamlNamespaces.XmlDsig).Cast<XmlElement>().ToList();
        var element = elements[random.Next(elements.Count)];
        var bytes = Convert.FromBase64String(element.InnerText);
        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        element.InnerText = Convert.ToBase64String(bytes);
        return document.OuterXml;
    }

    static string EditText(string xml, string localName)
    {
        var document = Load(xml);
        foreach (var element in document.GetElementsByTagName(localName, SamlNamespaces.Assertion).Cast<XmlElement>())
            element.InnerText = element.InnerText.Replace("ann@", "admin@", StringComparison.Ordinal) + "x";
        return document.OuterXml;
    }

    static string Wrapped(string xml)
    {
        var document = Load(xml);
        var assertion = (XmlElement)document.GetElementsByTagName("Assertion", SamlNamespaces.Assertion)[0]!;
        var evil = (XmlElement)assertion.CloneNode(deep: true);
        foreach (var signature in evil.GetElementsByTagName("Signature", SamlNamespaces.XmlDsig).Cast<XmlNode>().ToList()) signature.ParentNode!.RemoveChild(signature);
        evil.SetAttribute("ID", "_evil" + Guid.NewGuid().ToString("N"));
        foreach (var nameId in evil.GetElementsByTagName("NameID", SamlNamespaces.Assertion).Cast<XmlElement>()) nameId.InnerText = "admin@acme.example";
        assertion.ParentNode!.InsertBefore(evil, assertion);
        return document.OuterXml;
    }

    static XmlDocument Load(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(xml);
        return document;
    }

    [GeneratedRegex(@"<ds:Signature[\s>].*?</ds:Signature>", RegexOptions.Singleline)]
    private static partial Regex SignatureRegex();
}
