using Roster.Saml.Responses;

namespace Roster.Saml;

/// <summary>
/// The profile a just-in-time sign-in creates a member from, read from the attribute statements under
/// the names IdPs use by default: Okta's attribute statements as its docs suggest them (email,
/// firstName, lastName) and the claim URIs of Entra ID and ADFS.
/// </summary>
internal sealed record SignInAttributes(string? Email, string? GivenName, string? FamilyName)
{
    static readonly string[] EmailNames = ["email", "mail", "emailaddress", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "urn:oid:0.9.2342.19200300.100.1.3"];
    static readonly string[] GivenNameNames = ["firstName", "givenName", "given_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "urn:oid:2.5.4.42"];
    static readonly string[] FamilyNameNames = ["lastName", "surname", "sn", "familyName", "family_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "urn:oid:2.5.4.4"];

    public static SignInAttributes From(SamlAssertion assertion)
    {
        var email = First(assertion, EmailNames);
        // An email-address NameID is the email when no attribute says otherwise.
        if (email is null && assertion.NameIdFormat == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress") email = assertion.NameId;
        return new SignInAttributes(email, First(assertion, GivenNameNames), First(assertion, FamilyNameNames));
    }

    static string? First(SamlAssertion assertion, string[] names)
    {
        foreach (var name in names)
        {
            foreach (var (key, values) in assertion.Attributes)
            {
                if (!string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) continue;
                var value = values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
                if (value is not null) return value.Trim();
            }
        }
        return null;
    }
}
