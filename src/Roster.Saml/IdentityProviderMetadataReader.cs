using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;

namespace Roster.Saml;

/// <summary>
/// Reads <see cref="IdentityProviderMetadata"/> out of a metadata document. Every refusal is a
/// <see cref="SamlMetadataException"/> whose message an administrator can act on, because this is
/// where a wrong upload or a wrong URL first shows.
/// </summary>
/// <remarks>
/// The metadata's own signature (Entra signs its federation metadata) is not checked: the document is
/// trusted because an administrator uploaded it or named its https URL, and its certificates are what
/// later signatures are pinned to. Metadata signed by a key it itself contains would prove nothing.
/// </remarks>
internal static class IdentityProviderMetadataReader
{
    const string Md = SamlUris.MetadataNamespace;
    const string Ds = SamlUris.XmlDsigNamespace;

    /// <summary>The SAML metadata schema's limit on an entityID.</summary>
    const int MaxEntityIdLength = 1024;

    /// <summary>RSA keys shorter than this are refused: a signature by a 1024-bit key can be forged by
    /// anyone able to factor it, and every IdP we know of has used 2048 bits or more for years.</summary>
    const int MinRsaKeyBits = 2048;

    public static IdentityProviderMetadata Read(string xml, DateTimeOffset now)
    {
        var root = Load(xml);
        var (entity, enclosing) = FindIdentityProviderEntity(root);
        var entityId = ReadEntityId(entity);
        var idp = FindIdpSsoDescriptor(entity, entityId);

        var validUntil = Earliest(enclosing.Append(entity).Append(idp).Select(ReadValidUntil));
        if (validUntil is { } expiry && expiry <= now)
        {
            throw Fail($"The IdP metadata of {entityId} expired on {expiry.UtcDateTime:yyyy-MM-dd HH:mm} UTC (its validUntil). " +
                "Download current metadata from the identity provider.");
        }

        var singleSignOnUrls = ReadSingleSignOnServices(idp, entityId);
        if (!singleSignOnUrls.TryGetValue(SamlUris.HttpRedirectBinding, out var redirectUrl))
        {
            var offered = singleSignOnUrls.Count == 0 ? "none" : string.Join(", ", singleSignOnUrls.Keys.Select(ShortBinding));
            throw Fail($"The IdP metadata of {entityId} has no SingleSignOnService with the HTTP-Redirect binding " +
                $"(it offers: {offered}). Roster sends AuthnRequests over HTTP-Redirect; enable that binding at the IdP.");
        }

        var signingCertificates = ReadSigningCertificates(idp, entityId);
        if (signingCertificates.Count == 0)
        {
            throw Fail($"The IdP metadata of {entityId} has no signing certificate (no KeyDescriptor with use=\"signing\" " +
                "or without use, holding a ds:X509Certificate, in its IDPSSODescriptor). Roster cannot verify this IdP's signatures without one.");
        }

        return new IdentityProviderMetadata
        {
            EntityId = entityId,
            SingleSignOnUrls = singleSignOnUrls,
            RedirectSingleSignOnUrl = redirectUrl,
            SigningCertificates = signingCertificates,
            WantAuthnRequestsSigned = ReadBoolean(idp, "WantAuthnRequestsSigned", entityId),
            ValidUntil = validUntil,
        };
    }

    static XmlElement Load(string xml)
    {
        if (string.IsNullOrWhiteSpace(xml)) throw Fail("The IdP metadata is empty.");
        if (xml.Length > IdentityProviderMetadata.MaxCharacters)
        {
            throw Fail($"The IdP metadata is {xml.Length:N0} characters long; Roster reads at most {IdentityProviderMetadata.MaxCharacters:N0}. " +
                "One identity provider's metadata is a few tens of kilobytes: use the IdP's own metadata, not a federation aggregate.");
        }

        try
        {
            var document = SafeXml.Load(xml, IdentityProviderMetadata.MaxCharacters);
            return document.DocumentElement ?? throw Fail("The IdP metadata has no root element.");
        }
        catch (XmlException e) when (xml.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
        {
            // The parser has already refused it; this only picks the message. A DTD is how external
            // entities and entity expansion get in, and no IdP's metadata needs one.
            throw Fail("The IdP metadata contains a DOCTYPE declaration, which Roster refuses in any XML it reads " +
                "(DTDs carry external-entity and entity-expansion attacks). IdP metadata never needs one.", e);
        }
        catch (XmlException e)
        {
            throw Fail($"The IdP metadata is not well-formed XML (line {e.LineNumber}, position {e.LinePosition}: {e.Message}). " +
                "Supply the metadata document itself, which begins with an EntityDescriptor element.", e);
        }
    }

    /// <summary>The IdP's EntityDescriptor, and the EntitiesDescriptors around it (outermost first).</summary>
    static (XmlElement Entity, IReadOnlyList<XmlElement> Enclosing) FindIdentityProviderEntity(XmlElement root)
    {
        if (Is(root, Md, "EntityDescriptor")) return (root, []);
        if (!Is(root, Md, "EntitiesDescriptor"))
        {
            if (root.LocalName is "EntityDescriptor" or "EntitiesDescriptor")
            {
                throw Fail($"The root element {root.LocalName} is in namespace \"{root.NamespaceURI}\", not in the SAML 2.0 metadata namespace {Md}.");
            }
            if (root.LocalName.Equals("html", StringComparison.OrdinalIgnoreCase))
            {
                throw Fail("The document is an HTML page, not SAML metadata. Use the IdP's metadata URL or file (it begins with an EntityDescriptor element).");
            }
            throw Fail($"The root element is {Describe(root)}, not a SAML 2.0 metadata EntityDescriptor ({Md}).");
        }

        var entities = new List<(XmlElement Entity, IReadOnlyList<XmlElement> Enclosing)>();
        CollectEntities(root, [root], entities);
        var idps = entities.Where(e => ChildElements(e.Entity, Md, "IDPSSODescriptor").Any()).ToList();
        return idps.Count switch
        {
            1 => idps[0],
            0 => throw Fail($"The EntitiesDescriptor holds {entities.Count} entit{(entities.Count == 1 ? "y" : "ies")}, none of them an identity provider (no IDPSSODescriptor)."),
            _ => throw Fail($"The EntitiesDescriptor holds {idps.Count} identity providers ({string.Join(", ", idps.Take(5).Select(i => i.Entity.GetAttribute("entityID")))}" +
                $"{(idps.Count > 5 ? ", …" : "")}). Roster needs the metadata of the one IdP this enterprise signs in with."),
        };
    }

    static void CollectEntities(XmlElement entities, List<XmlElement> path, List<(XmlElement, IReadOnlyList<XmlElement>)> found)
    {
        foreach (var child in entities.ChildNodes.OfType<XmlElement>())
        {
            if (Is(child, Md, "EntityDescriptor")) found.Add((child, path.ToList()));
            else if (Is(child, Md, "EntitiesDescriptor")) CollectEntities(child, [.. path, child], found);
        }
    }

    static string ReadEntityId(XmlElement entity)
    {
        var entityId = entity.GetAttribute("entityID");
        if (string.IsNullOrWhiteSpace(entityId)) throw Fail("The EntityDescriptor has no entityID.");
        if (entityId.Length > MaxEntityIdLength)
        {
            throw Fail($"The entityID is {entityId.Length:N0} characters long; SAML metadata allows at most {MaxEntityIdLength}.");
        }
        return entityId;
    }

    static XmlElement FindIdpSsoDescriptor(XmlElement entity, string entityId)
    {
        var descriptors = ChildElements(entity, Md, "IDPSSODescriptor").ToList();
        if (descriptors.Count == 0)
        {
            var hint = ChildElements(entity, Md, "SPSSODescriptor").Any()
                ? " It describes a service provider (SPSSODescriptor): this is SP metadata, perhaps Roster's own, not the IdP's."
                : " It is not a SAML identity provider's metadata.";
            throw Fail($"The metadata of {entityId} has no IDPSSODescriptor.{hint}");
        }

        var saml20 = descriptors.Where(d => d.GetAttribute("protocolSupportEnumeration")
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Contains(SamlUris.Saml20Protocol, StringComparer.Ordinal)).ToList();
        return saml20.Count switch
        {
            1 => saml20[0],
            0 => throw Fail($"The IDPSSODescriptor of {entityId} does not list SAML 2.0 ({SamlUris.Saml20Protocol}) in its protocolSupportEnumeration."),
            _ => throw Fail($"The metadata of {entityId} has {saml20.Count} IDPSSODescriptor elements for SAML 2.0; Roster expects exactly one."),
        };
    }

    static Dictionary<string, Uri> ReadSingleSignOnServices(XmlElement idp, string entityId)
    {
        var urls = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var service in ChildElements(idp, Md, "SingleSignOnService"))
        {
            var binding = service.GetAttribute("Binding");
            var location = service.GetAttribute("Location");
            if (binding.Length == 0) throw Fail($"A SingleSignOnService in the metadata of {entityId} has no Binding.");
            if (!Uri.TryCreate(location, UriKind.Absolute, out var url) || !IdpEndpointPolicy.IsAcceptable(url))
            {
                throw Fail($"The {ShortBinding(binding)} SingleSignOnService of {entityId} has Location \"{location}\", " +
                    "which is not an absolute https URL (plain http is accepted only for a loopback host, for local testing).");
            }
            urls.TryAdd(binding, url);
        }
        return urls;
    }

    static List<X509Certificate2> ReadSigningCertificates(XmlElement idp, string entityId)
    {
        var certificates = new List<X509Certificate2>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        foreach (var keyDescriptor in ChildElements(idp, Md, "KeyDescriptor"))
        {
            position++;
            var use = keyDescriptor.GetAttribute("use");
            if (use == "encryption") continue;
            if (use is not ("" or "signing"))
            {
                throw Fail($"KeyDescriptor #{position} of {entityId} has use=\"{use}\"; SAML metadata allows only \"signing\" or \"encryption\".");
            }

            var encoded = ChildElements(keyDescriptor, Ds, "KeyInfo")
                .SelectMany(k => ChildElements(k, Ds, "X509Data"))
                .SelectMany(d => ChildElements(d, Ds, "X509Certificate"))
                .ToList();
            if (encoded.Count == 0)
            {
                throw Fail($"Signing KeyDescriptor #{position} of {entityId} holds no ds:KeyInfo/ds:X509Data/ds:X509Certificate. " +
                    "Roster pins IdP keys as X.509 certificates.");
            }

            foreach (var element in encoded)
            {
                var certificate = DecodeCertificate(element.InnerText, position, entityId);
                if (seen.Add(CertificateFingerprint.Sha256(certificate))) certificates.Add(certificate);
                else certificate.Dispose();
            }
        }
        return certificates;
    }

    static X509Certificate2 DecodeCertificate(string text, int position, string entityId)
    {
        // Metadata wraps base64 across lines (Okta does), so all whitespace goes first.
        var base64 = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        byte[] der;
        try
        {
            der = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw Fail($"The ds:X509Certificate of signing KeyDescriptor #{position} of {entityId} is not valid base64.", e);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw Fail($"The ds:X509Certificate of signing KeyDescriptor #{position} of {entityId} is not a DER-encoded X.509 certificate ({e.Message}).", e);
        }

        var problem = KeyProblem(certificate);
        if (problem is not null)
        {
            var subject = certificate.Subject;
            certificate.Dispose();
            throw Fail($"The signing certificate {subject} of {entityId} {problem}");
        }
        return certificate;
    }

    static string? KeyProblem(X509Certificate2 certificate)
    {
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return rsa.KeySize >= MinRsaKeyBits ? null
                    : $"has a {rsa.KeySize}-bit RSA key; Roster requires at least {MinRsaKeyBits} bits. Have the IdP issue a new signing certificate.";
            }
        }
        using (var ecdsa = certificate.GetECDsaPublicKey())
        {
            if (ecdsa is not null) return null;
        }
        return $"has a key of type {certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value}; Roster verifies RSA and ECDSA signatures only.";
    }

    static bool ReadBoolean(XmlElement element, string name, string entityId)
    {
        var attribute = element.GetAttributeNode(name);
        if (attribute is null) return false;
        return attribute.Value.Trim() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            var other => throw Fail($"{name}=\"{other}\" in the metadata of {entityId} is not an XML boolean (true, false, 1 or 0)."),
        };
    }

    static DateTimeOffset? ReadValidUntil(XmlElement element)
    {
        var attribute = element.GetAttributeNode("validUntil");
        if (attribute is null) return null;
        var text = attribute.Value.Trim();
        // xs:dateTime may omit the zone; SAML means UTC then, while XmlConvert would assume the
        // server's local zone.
        var zoned = text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        try
        {
            return XmlConvert.ToDateTimeOffset(zoned ? text : text + "Z");
        }
        catch (FormatException e)
        {
            throw Fail($"validUntil=\"{attribute.Value}\" on {element.LocalName} is not an xs:dateTime.", e);
        }
    }

    /// <summary>The earliest of the values given, skipping nulls; null when all are.</summary>
    static DateTimeOffset? Earliest(IEnumerable<DateTimeOffset?> values) => values.Min();

    static IEnumerable<XmlElement> ChildElements(XmlElement parent, string namespaceUri, string localName) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e => Is(e, namespaceUri, localName));

    static bool Is(XmlElement element, string namespaceUri, string localName) =>
        element.LocalName == localName && element.NamespaceURI == namespaceUri;

    static string Describe(XmlElement element) =>
        element.NamespaceURI.Length == 0 ? element.LocalName : $"{element.LocalName} ({element.NamespaceURI})";

    static string ShortBinding(string binding) =>
        binding.StartsWith("urn:oasis:names:tc:SAML:2.0:bindings:", StringComparison.Ordinal) ? binding["urn:oasis:names:tc:SAML:2.0:bindings:".Length..] : binding;

    static SamlMetadataException Fail(string message, Exception? inner = null) =>
        inner is null ? new SamlMetadataException(message) : new SamlMetadataException(message, inner);
}
