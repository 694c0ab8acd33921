using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;

namespace Roster.Saml;

/// <summary>
/// Roster's SAML 2.0 metadata for one enterprise (saml.md §3): what an IdP that reads SP metadata
/// (Entra, ADFS, Shibboleth) needs to trust Roster. Okta does not read it; its administrator copies
/// the ACS URL and entity ID by hand.
/// </summary>
public static class ServiceProviderMetadata
{
    const string Md = SamlUris.MetadataNamespace;
    const string Ds = SamlUris.XmlDsigNamespace;

    /// <summary>
    /// The EntityDescriptor of the SP, as UTF-8 XML text: an SPSSODescriptor saying whether
    /// AuthnRequests are signed and assertions must be, the SP certificate as the signing key when
    /// AuthnRequests are signed, and as the encryption key (AES-GCM content, RSA-OAEP key transport)
    /// when <paramref name="includeEncryptionKey"/>; emailAddress then unspecified as Name ID formats;
    /// one HTTP-POST AssertionConsumerService. Only public certificates are written.
    /// </summary>
    /// <exception cref="ArgumentException">Signed AuthnRequests or the encryption key are asked for
    /// without an SP certificate.</exception>
    public static string Write(ServiceProviderSettings sp, bool includeEncryptionKey, DateTimeOffset? validUntil = null)
    {
        ArgumentNullException.ThrowIfNull(sp);
        ArgumentException.ThrowIfNullOrWhiteSpace(sp.EntityId, nameof(sp));
        ArgumentException.ThrowIfNullOrWhiteSpace(sp.AssertionConsumerServiceUrl, nameof(sp));
        if (sp.SignAuthnRequests && sp.Certificate is null)
        {
            throw new ArgumentException("Signed AuthnRequests are on, but the SP has no certificate to publish.", nameof(sp));
        }
        if (includeEncryptionKey && sp.Certificate is null)
        {
            throw new ArgumentException("An encryption key was asked for, but the SP has no certificate to publish.", nameof(sp));
        }

        using var output = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  " };
        using (var writer = XmlWriter.Create(output, settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("md", "EntityDescriptor", Md);
            writer.WriteAttributeString("entityID", sp.EntityId);
            if (validUntil is { } until)
            {
                writer.WriteAttributeString("validUntil", until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            }

            writer.WriteStartElement("md", "SPSSODescriptor", Md);
            writer.WriteAttributeString("protocolSupportEnumeration", SamlUris.Saml20Protocol);
            writer.WriteAttributeString("AuthnRequestsSigned", Boolean(sp.SignAuthnRequests));
            writer.WriteAttributeString("WantAssertionsSigned", Boolean(sp.WantAssertionsSigned));

            if (sp.SignAuthnRequests) WriteKeyDescriptor(writer, "signing", sp.Certificate!, []);
            if (includeEncryptionKey)
            {
                // Only what Roster decrypts: AES-GCM content (CBC is open to padding-oracle attacks)
                // and RSA-OAEP key transport (never RSA PKCS#1 v1.5).
                WriteKeyDescriptor(writer, "encryption", sp.Certificate!,
                    [SamlUris.Aes256Gcm, SamlUris.Aes128Gcm, SamlUris.RsaOaep, SamlUris.RsaOaepMgf1p]);
            }

            writer.WriteElementString("md", "NameIDFormat", Md, SamlUris.NameIdFormatEmailAddress);
            writer.WriteElementString("md", "NameIDFormat", Md, SamlUris.NameIdFormatUnspecified);

            writer.WriteStartElement("md", "AssertionConsumerService", Md);
            writer.WriteAttributeString("Binding", SamlUris.HttpPostBinding);
            writer.WriteAttributeString("Location", sp.AssertionConsumerServiceUrl);
            writer.WriteAttributeString("index", "0");
            writer.WriteAttributeString("isDefault", "true");
            writer.WriteEndElement();

            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }

    static void WriteKeyDescriptor(XmlWriter writer, string use, X509Certificate2 certificate, IReadOnlyList<string> encryptionMethods)
    {
        writer.WriteStartElement("md", "KeyDescriptor", Md);
        writer.WriteAttributeString("use", use);
        writer.WriteStartElement("ds", "KeyInfo", Ds);
        writer.WriteStartElement("ds", "X509Data", Ds);
        // RawData is the DER certificate alone: the private key is never part of it.
        writer.WriteElementString("ds", "X509Certificate", Ds, Convert.ToBase64String(certificate.RawData));
        writer.WriteEndElement();
        writer.WriteEndElement();
        foreach (var algorithm in encryptionMethods)
        {
            writer.WriteStartElement("md", "EncryptionMethod", Md);
            writer.WriteAttributeString("Algorithm", algorithm);
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
    }

    static string Boolean(bool value) => value ? "true" : "false";
}
