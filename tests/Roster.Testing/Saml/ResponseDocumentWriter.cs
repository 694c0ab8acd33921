using System.Globalization;
using System.Security.Cryptography;
using System.Xml;

namespace Roster.Testing.Saml;

/// <summary>Lays out an unsigned Response the way Okta or Entra ID do (saml.md §7), before signing
/// and encryption.</summary>
internal sealed class ResponseDocumentWriter(SamlWireStyle style, string issuer)
{
    private const string EntityFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
    private const string Bearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

    private bool Okta => style == SamlWireStyle.Okta;
    private string P => Okta ? "saml2p" : "samlp";
    private string A => Okta ? "saml2" : "";

    public (XmlDocument Document, string ResponseId, string AssertionId) Write(SamlResponseOptions options, DateTimeOffset issued)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        if (Okta) document.AppendChild(document.CreateXmlDeclaration("1.0", "UTF-8", null));
        string responseId = NewId(), assertionId = NewId();

        var response = document.CreateElement(P, "Response", SamlNamespaces.Protocol);
        document.AppendChild(response);
        response.With("Destination", options.Destination ?? options.AcsUrl)
            .With("ID", responseId)
            .With("InResponseTo", options.InResponseTo)
            .With("IssueInstant", Instant(issued))
            .With("Version", "2.0")
            .Declare(P, SamlNamespaces.Protocol);

        AddIssuer(response).Declare(A, SamlNamespaces.Assertion);
        var status = response.Add(P, "Status", SamlNamespaces.Protocol);
        if (Okta) status.Declare(P, SamlNamespaces.Protocol);
        status.Add(P, "StatusCode", SamlNamespaces.Protocol).With("Value", options.StatusCode);

        var assertion = response.Add(A, "Assertion", SamlNamespaces.Assertion)
            .With("ID", assertionId)
            .With("IssueInstant", Instant(issued))
            .With("Version", "2.0")
            .Declare(A, SamlNamespaces.Assertion);
        if (Okta) assertion.Declare("xs", SamlNamespaces.XmlSchema);
        AddIssuer(assertion);
        AddSubject(assertion, options, issued);
        AddConditions(assertion, options, issued);
        // Entra puts the AttributeStatement before the AuthnStatement; Okta after.
        if (!Okta) AddAttributes(assertion, options);
        AddAuthnStatement(assertion, options, issued);
        if (Okta) AddAttributes(assertion, options);
        return (document, responseId, assertionId);
    }

    private XmlElement AddIssuer(XmlElement parent)
    {
        var element = parent.Add(A, "Issuer", SamlNamespaces.Assertion).Text(issuer);
        if (Okta) element.SetAttribute("Format", EntityFormat);
        return element;
    }

    private void AddSubject(XmlElement assertion, SamlResponseOptions options, DateTimeOffset issued)
    {
        var subject = assertion.Add(A, "Subject", SamlNamespaces.Assertion);
        subject.Add(A, "NameID", SamlNamespaces.Assertion).With("Format", options.NameIdFormat).Text(options.NameId);
        subject.Add(A, "SubjectConfirmation", SamlNamespaces.Assertion).With("Method", Bearer)
            .Add(A, "SubjectConfirmationData", SamlNamespaces.Assertion)
            .With("InResponseTo", options.InResponseTo)
            .With("NotOnOrAfter", Instant(options.ConfirmationNotOnOrAfter ?? issued.AddMinutes(5)))
            .With("Recipient", options.Recipient ?? options.AcsUrl);
    }

    private void AddConditions(XmlElement assertion, SamlResponseOptions options, DateTimeOffset issued)
    {
        var conditions = assertion.Add(A, "Conditions", SamlNamespaces.Assertion)
            .With("NotBefore", Instant(options.NotBefore ?? issued.AddMinutes(-5)))
            .With("NotOnOrAfter", Instant(options.NotOnOrAfter ?? (Okta ? issued.AddMinutes(5) : issued.AddHours(1))));
        conditions.Add(A, "AudienceRestriction", SamlNamespaces.Assertion)
            .Add(A, "Audience", SamlNamespaces.Assertion).Text(options.Audience);
    }

    private void AddAuthnStatement(XmlElement assertion, SamlResponseOptions options, DateTimeOffset issued)
    {
        var statement = assertion.Add(A, "AuthnStatement", SamlNamespaces.Assertion)
            .With("AuthnInstant", Instant(issued))
            .With("SessionIndex", NewId())
            .With("SessionNotOnOrAfter", options.SessionNotOnOrAfter is { } end ? Instant(end) : null);
        statement.Add(A, "AuthnContext", SamlNamespaces.Assertion)
            .Add(A, "AuthnContextClassRef", SamlNamespaces.Assertion)
            .Text(Okta ? "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport" : "urn:oasis:names:tc:SAML:2.0:ac:classes:Password");
    }

    private void AddAttributes(XmlElement assertion, SamlResponseOptions options)
    {
        var attributes = options.Attributes ?? DefaultAttributes(options);
        if (attributes.Count == 0) return;
        var statement = assertion.Add(A, "AttributeStatement", SamlNamespaces.Assertion);
        foreach (var attribute in attributes)
        {
            var element = statement.Add(A, "Attribute", SamlNamespaces.Assertion).With("Name", attribute.Name);
            if (Okta) element.SetAttribute("NameFormat", "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified");
            foreach (string value in attribute.Values)
            {
                var valueElement = element.Add(A, "AttributeValue", SamlNamespaces.Assertion);
                if (Okta)
                {
                    valueElement.Declare("xsi", SamlNamespaces.XmlSchemaInstance);
                    var type = valueElement.OwnerDocument.CreateAttribute("xsi", "type", SamlNamespaces.XmlSchemaInstance);
                    type.Value = "xs:string";
                    valueElement.Attributes.Append(type);
                }
                valueElement.Text(value);
            }
        }
    }

    private IReadOnlyList<TestSamlAttribute> DefaultAttributes(SamlResponseOptions options) => Okta
        ?
        [
            new("email", options.NameId),
            new("firstName", "Ada"),
            new("lastName", "Lovelace"),
            new("groups", "Engineering", "Roster Admins"),
        ]
        :
        [
            new("http://schemas.microsoft.com/identity/claims/tenantid", issuer.Split('/')[^2]),
            new("http://schemas.microsoft.com/identity/claims/objectidentifier", "5f0d7c4e-2a53-4c4e-9d0b-8d1e2f3a4b5c"),
            new("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", options.NameId),
            new("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "Ada"),
            new("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "Lovelace"),
            new("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups", "3a1f0c2e-0000-4000-8000-000000000001", "3a1f0c2e-0000-4000-8000-000000000002"),
        ];

    /// <summary>Okta: "id" and 20-odd digits. Entra: "_" and a GUID.</summary>
    public string NewId() => Okta
        ? "id" + string.Concat(Enumerable.Range(0, 24).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))))
        : "_" + Guid.NewGuid().ToString("D");

    /// <summary>Okta writes milliseconds, Entra ticks (7 digits).</summary>
    private string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(Okta ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
