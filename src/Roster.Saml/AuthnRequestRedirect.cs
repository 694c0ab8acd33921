using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;

namespace Roster.Saml;

/// <summary>
/// SP-initiated sign-in: a <c>samlp:AuthnRequest</c> sent over the HTTP-Redirect binding (SAML
/// Bindings §3.4), the one binding every IdP Roster supports accepts (Entra accepts no other).
/// </summary>
public static class AuthnRequestRedirect
{
    /// <summary>SAML Bindings §3.4.3: RelayState "MUST NOT exceed 80 bytes in length".</summary>
    public const int MaxRelayStateBytes = 80;

    /// <summary>
    /// Builds the request and the URL to redirect the browser to: the IdP's SSO URL (keeping any query
    /// it already has) with SAMLRequest (raw DEFLATE, base64, URL-encoded), RelayState when given, and,
    /// when <see cref="ServiceProviderSettings.SignAuthnRequests"/> is on, SigAlg and Signature
    /// (RSA-SHA256 with the SP certificate's key over the query as sent, Bindings §3.4.4.1).
    /// </summary>
    /// <param name="relayState">An opaque key for the state kept server-side (saml.md §1.8), not a
    /// return URL; null for none.</param>
    /// <exception cref="ArgumentException">RelayState is empty or longer than 80 bytes; the SSO URL is
    /// not an absolute https URL; signing is on but the SP certificate has no RSA private key.</exception>
    public static SamlRedirect Create(ServiceProviderSettings sp, IdentityProviderSettings idp, string? relayState, TimeProvider clock,
        bool forceAuthn = false)
    {
        ArgumentNullException.ThrowIfNull(sp);
        ArgumentNullException.ThrowIfNull(idp);
        ArgumentNullException.ThrowIfNull(clock);
        if (relayState is not null)
        {
            if (relayState.Length == 0) throw new ArgumentException("RelayState is empty; pass null for none.", nameof(relayState));
            var bytes = Encoding.UTF8.GetByteCount(relayState);
            if (bytes > MaxRelayStateBytes)
            {
                throw new ArgumentException($"RelayState is {bytes} bytes; the SAML HTTP-Redirect binding allows at most {MaxRelayStateBytes}. " +
                    "Send an opaque key and keep the state itself server-side.", nameof(relayState));
            }
        }
        if (!IdpEndpointPolicy.IsAcceptable(idp.SingleSignOnUrl))
        {
            throw new ArgumentException($"The IdP SSO URL {idp.SingleSignOnUrl} is not an absolute https URL.", nameof(idp));
        }
        var signingKey = sp.SignAuthnRequests
            ? sp.Certificate?.GetRSAPrivateKey() ?? throw new ArgumentException(
                "Signed AuthnRequests are on, but the SP has no certificate with an RSA private key.", nameof(sp))
            : null;

        using (signingKey)
        {
            var requestId = NewRequestId();
            var xml = WriteRequest(requestId, sp, idp, clock.GetUtcNow(), forceAuthn);

            var query = new StringBuilder("SAMLRequest=")
                .Append(Uri.EscapeDataString(Convert.ToBase64String(RedirectDeflate.Compress(Encoding.UTF8.GetBytes(xml)))));
            if (relayState is not null) query.Append("&RelayState=").Append(Uri.EscapeDataString(relayState));
            if (signingKey is not null)
            {
                query.Append("&SigAlg=").Append(Uri.EscapeDataString(SamlUris.RsaSha256));
                // The signature covers these exact bytes; the IdP rebuilds them from the query it receives.
                var signature = signingKey.SignData(Encoding.ASCII.GetBytes(query.ToString()), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                query.Append("&Signature=").Append(Uri.EscapeDataString(Convert.ToBase64String(signature)));
            }
            return new SamlRedirect(requestId, AppendQuery(idp.SingleSignOnUrl, query.ToString()), xml);
        }
    }

    /// <summary>An xs:ID (an NCName, so it must not start with a digit: "_" first) with 160 random bits,
    /// so it can neither be guessed nor collide.</summary>
    static string NewRequestId() => "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    static string WriteRequest(string requestId, ServiceProviderSettings sp, IdentityProviderSettings idp, DateTimeOffset now, bool forceAuthn)
    {
        var xml = new StringBuilder();
        using (var writer = XmlWriter.Create(xml, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false }))
        {
            writer.WriteStartElement("samlp", "AuthnRequest", SamlUris.ProtocolNamespace);
            writer.WriteAttributeString("xmlns", "saml", null, SamlUris.AssertionNamespace);
            writer.WriteAttributeString("ID", requestId);
            writer.WriteAttributeString("Version", "2.0");
            writer.WriteAttributeString("IssueInstant", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteAttributeString("Destination", idp.SingleSignOnUrl.AbsoluteUri);
            if (forceAuthn) writer.WriteAttributeString("ForceAuthn", "true");
            writer.WriteAttributeString("AssertionConsumerServiceURL", sp.AssertionConsumerServiceUrl);
            writer.WriteAttributeString("ProtocolBinding", SamlUris.HttpPostBinding);
            writer.WriteElementString("saml", "Issuer", SamlUris.AssertionNamespace, sp.EntityId);

            // No NameIDPolicy: the IdP then sends the NameID its administrator configured for the app
            // (Okta's Name ID format, Entra's Unique User Identifier). Asking for a format breaks one
            // IdP or another: Okta refuses a Format that differs from the app's setting, and Entra
            // answers Format "unspecified" with an opaque pairwise identifier instead of the
            // userPrincipalName that SCIM sends as userName.
            writer.WriteEndElement();
        }
        return xml.ToString();
    }

    /// <summary>The SSO URL with <paramref name="query"/> added to the query it may already have
    /// (Google's carries ?idpid=…).</summary>
    static Uri AppendQuery(Uri url, string query)
    {
        var existing = url.Query.TrimStart('?').TrimEnd('&');
        var separator = existing.Length == 0 ? "?" : "?" + existing + "&";
        return new Uri(url.GetLeftPart(UriPartial.Path) + separator + query + url.Fragment);
    }
}
