using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Roster.Saml;
using Roster.Testing.Saml;

namespace Roster.Browser.Tests;

/// <summary>
/// A SAML identity provider a real browser can visit: a small web app on Kestrel (https, a free port
/// of 127.0.0.1) around a <see cref="TestIdentityProvider"/>, which signs the Responses. Its TLS
/// certificate is self-signed (for localhost and 127.0.0.1): a browser context that visits it accepts
/// it with Playwright's IgnoreHTTPSErrors. It is https because Roster accepts only an https IdP
/// single sign-on URL, as it should.
/// <para>
/// Its SSO endpoint (<see cref="SsoUrl"/>) takes an AuthnRequest over HTTP-Redirect, checks it as an
/// IdP does (a service provider it trusts, by the request's Issuer; the ACS URL that SP registered;
/// Destination; the SP's signature when the request is signed), and shows a "sign in as" page for
/// the person signed in at the IdP (<see cref="SignIn"/>): a plain HTML form, no script, that POSTs
/// SAMLResponse and RelayState to the SP's ACS when its "Sign in" button is pressed. The Response
/// answers the request (InResponseTo is its ID), names the person, and carries their email, first
/// and last name, as Okta's does.
/// </para>
/// <para>
/// It is reached as https://localhost:PORT by default: another site than a Roster on
/// http://127.0.0.1, so the form's POST to the ACS is a cross-site request, as it is from a real IdP.
/// </para>
/// </summary>
public sealed class TestIdpServer : IAsyncDisposable
{
    public const string SsoPath = "/app/roster/sso/saml";

    /// <summary>One TLS certificate for every test IdP of the process: making an RSA key takes a while.</summary>
    static readonly Lazy<X509Certificate2> TlsCertificate = new(CreateTlsCertificate);

    readonly WebApplication app;
    readonly ConcurrentDictionary<string, TrustedServiceProvider> serviceProviders = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<ReceivedAuthnRequest> requests = new();

    TestIdpServer(WebApplication app, TestIdentityProvider identity, Uri baseAddress)
    {
        this.app = app;
        Identity = identity;
        BaseAddress = baseAddress;
    }

    /// <summary>The IdP's key and entity ID: what the SP is configured to trust.</summary>
    public TestIdentityProvider Identity { get; }

    /// <summary>https://HOST:PORT/ the IdP is reached at.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The IdP's single sign-on URL (HTTP-Redirect binding): what the SP sends people to.</summary>
    public string SsoUrl => new Uri(BaseAddress, SsoPath).AbsoluteUri;

    /// <summary>The IdP's SAML metadata, as Okta offers it for download on the app's Sign On tab: the
    /// entity ID, the SSO URL (HTTP-Redirect) and the signing certificate. What an admin uploads to Roster.</summary>
    public string MetadataXml =>
        $"""
         <?xml version="1.0" encoding="UTF-8"?>
         <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{Identity.EntityId}">
           <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
             <md:KeyDescriptor use="signing">
               <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
                 <ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(Identity.PublicCertificate.RawData)}</ds:X509Certificate></ds:X509Data>
               </ds:KeyInfo>
             </md:KeyDescriptor>
             <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
             <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{SsoUrl}"/>
           </md:IDPSSODescriptor>
         </md:EntityDescriptor>
         """;

    /// <summary>The person signed in at the IdP, whom the next Response names; null: nobody.</summary>
    public TestIdpPerson? Person { get; private set; }

    /// <summary>Every AuthnRequest the SSO endpoint received and accepted, oldest first.</summary>
    public IReadOnlyList<ReceivedAuthnRequest> Requests => requests.ToList();

    /// <param name="host">The name the IdP is reached by (it listens on 127.0.0.1 whatever the name):
    /// "localhost" makes it another site than a server on 127.0.0.1.</param>
    public static async Task<TestIdpServer> StartAsync(TestIdentityProvider? identity = null, string host = "localhost")
    {
        identity ??= TestIdentityProvider.Okta();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        var tls = TlsCertificate.Value;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(tls));
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();

        TestIdpServer? server = null;
        app.MapGet(SsoPath, context => server!.SingleSignOnAsync(context));
        await app.StartAsync();

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        server = new TestIdpServer(app, identity, new UriBuilder(address) { Host = host }.Uri);
        return server;
    }

    /// <summary>Trusts a service provider: AuthnRequests issued by <paramref name="entityId"/> are
    /// answered, at <paramref name="acsUrl"/> only; signed ones must verify with <paramref name="certificatePem"/>.</summary>
    public void Trust(string entityId, string acsUrl, string certificatePem) =>
        serviceProviders[entityId] = new TrustedServiceProvider(entityId, acsUrl, certificatePem);

    /// <summary>Signs <paramref name="person"/> in at the IdP: the next Responses name them.</summary>
    public void SignIn(TestIdpPerson person) => Person = person;

    /// <summary>Signs <paramref name="email"/> in at the IdP (NameID and email), as Ann Lee unless named otherwise.</summary>
    public void SignIn(string email, string givenName = "Ann", string familyName = "Lee") => SignIn(new TestIdpPerson(email, givenName, familyName));

    async Task SingleSignOnAsync(HttpContext http)
    {
        RedirectMessage message;
        XmlDocument document;
        try
        {
            message = RedirectMessage.Decode(http.Request.QueryString.Value?.TrimStart('?') ?? "");
            document = SafeXml.Load(message.Xml, 100_000);
        }
        catch (Exception e) when (e is XmlException or FormatException)
        {
            await PageAsync(http, 400, "Bad SAML request", $"<p>{Encode(e.Message)}</p>");
            return;
        }

        var request = document.DocumentElement!;
        var issuer = request["Issuer", "urn:oasis:names:tc:SAML:2.0:assertion"]?.InnerText.Trim() ?? "";
        var requestId = request.GetAttribute("ID");
        var acsUrl = request.GetAttribute("AssertionConsumerServiceURL");
        var destination = request.GetAttribute("Destination");
        string? problem = null;
        if (request.LocalName != "AuthnRequest" || request.NamespaceURI != "urn:oasis:names:tc:SAML:2.0:protocol") problem = $"Not an AuthnRequest: {request.Name}.";
        else if (!serviceProviders.TryGetValue(issuer, out var trusted)) problem = $"Unknown service provider '{issuer}'.";
        else if (requestId.Length == 0) problem = "The AuthnRequest has no ID.";
        else if (acsUrl.Length > 0 && acsUrl != trusted.AcsUrl) problem = $"ACS URL '{acsUrl}' is not the one registered for '{issuer}' ({trusted.AcsUrl}).";
        else if (destination.Length > 0 && destination != SsoUrl) problem = $"Destination '{destination}' is not this IdP's SSO URL.";
        else if (message.IsSigned && !VerifySignature(message, trusted.CertificatePem)) problem = "The AuthnRequest's signature does not verify with the SP's certificate.";
        if (problem is not null)
        {
            await PageAsync(http, 400, "Bad SAML request", $"<p>{Encode(problem)}</p>");
            return;
        }

        var sp = serviceProviders[issuer];
        requests.Enqueue(new ReceivedAuthnRequest(requestId, issuer, message.RelayState, message.IsSigned, message.Xml));
        if (Person is not { } person)
        {
            await PageAsync(http, 200, "Nobody is signed in", "<p>Nobody is signed in at the test IdP.</p>");
            return;
        }

        var response = Identity.CreateResponse(new SamlResponseOptions
        {
            AcsUrl = sp.AcsUrl,
            Audience = sp.EntityId,
            InResponseTo = requestId,
            NameId = person.Email,
            Attributes =
            [
                new TestSamlAttribute("email", [person.Email]),
                new TestSamlAttribute("firstName", [person.GivenName]),
                new TestSamlAttribute("lastName", [person.FamilyName]),
            ],
        });
        var form = new StringBuilder();
        form.Append("<p>You are signed in at the test IdP as <strong>").Append(Encode(person.Email)).Append("</strong>.</p>");
        form.Append("<form method=\"post\" action=\"").Append(Encode(sp.AcsUrl)).Append("\">");
        form.Append("<input type=\"hidden\" name=\"SAMLResponse\" value=\"").Append(Encode(response.FormValue)).Append("\">");
        if (message.RelayState is not null) form.Append("<input type=\"hidden\" name=\"RelayState\" value=\"").Append(Encode(message.RelayState)).Append("\">");
        form.Append("<button type=\"submit\">Sign in</button></form>");
        form.Append("<p class=\"sp\">Service provider: ").Append(Encode(sp.EntityId)).Append("</p>");
        await PageAsync(http, 200, $"Sign in as {person.Email}", form.ToString());
    }

    /// <summary>A self-signed TLS server certificate for localhost and 127.0.0.1, valid for a day.</summary>
    static X509Certificate2 CreateTlsCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    static bool VerifySignature(RedirectMessage message, string certificatePem)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        return message.VerifySignature(certificate);
    }

    static Task PageAsync(HttpContext http, int status, string title, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        var html = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>{Encode(title)} · Test IdP</title>
            <style>body{"{"}font-family:sans-serif;margin:3em;{"}"} button{"{"}font-size:1.2em;padding:.4em 1.2em;{"}"} .sp{"{"}color:#666;{"}"}</style></head>
            <body><main><h1>{Encode(title)}</h1>{body}</main></body></html>
            """;
        return http.Response.WriteAsync(html, http.RequestAborted);
    }

    static string Encode(string text) => WebUtility.HtmlEncode(text);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    sealed record TrustedServiceProvider(string EntityId, string AcsUrl, string CertificatePem);
}

/// <summary>A person signed in at the test IdP.</summary>
public sealed record TestIdpPerson(string Email, string GivenName, string FamilyName);

/// <summary>An AuthnRequest as the test IdP received it.</summary>
public sealed record ReceivedAuthnRequest(string Id, string Issuer, string? RelayState, bool Signed, string Xml);
