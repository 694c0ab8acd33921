using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Roster.Tests.Saml;

/// <summary>
/// An IdP metadata endpoint as an on-premises IdP (ADFS) would serve it: Kestrel over HTTPS on
/// 127.0.0.1 (a free port), with a TLS certificate for 127.0.0.1 and localhost issued by a test
/// "internal CA" that no system trusts. Also serves the redirects and misbehaviours the fetcher
/// must handle.
/// </summary>
public sealed class HttpsMetadataServer : IAsyncLifetime
{
    public const string Metadata = """<?xml version="1.0" encoding="utf-8"?><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://adfs.test/adfs/services/trust"/>""";

    WebApplication? app;

    /// <summary>The root certificate of the CA that issued the server's TLS certificate.</summary>
    public X509Certificate2 InternalRoot { get; private set; } = null!;

    public int Port { get; private set; }

    public Uri Url(string path, string host = "127.0.0.1") => new($"https://{host}:{Port}{path}");

    public async ValueTask InitializeAsync()
    {
        var (root, tls) = CreateCertificates();
        InternalRoot = root;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(tls)));
        app = builder.Build();

        app.MapGet("/metadata", () => Results.Text(Metadata, "application/samlmetadata+xml"));
        app.MapGet("/redirect/relative", () => Results.Redirect("/metadata"));
        app.MapGet("/redirect/chain/{remaining:int}", (int remaining) =>
            Results.Redirect(remaining == 0 ? "/metadata" : $"/redirect/chain/{remaining - 1}"));
        app.MapGet("/redirect/link-local", () => Results.Redirect("https://169.254.169.254/latest/meta-data/"));
        app.MapGet("/redirect/http", (HttpContext context) => Results.Redirect($"http://{context.Request.Host}/metadata"));
        app.MapGet("/large/declared", () => Results.Text(new string('x', 5000), "application/xml"));
        app.MapGet("/large/chunked", async (HttpContext context) =>
        {
            // No Content-Length: only counting while reading can stop this one.
            context.Response.ContentType = "application/xml";
            for (var i = 0; i < 5; i++)
            {
                await context.Response.Body.WriteAsync(new byte[1000]);
                await context.Response.Body.FlushAsync();
            }
        });
        app.MapGet("/silent", async (HttpContext context) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    static (X509Certificate2 Root, X509Certificate2 Tls) CreateCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Roster Test Internal Root CA", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using var tlsKey = RSA.Create(2048);
        var tlsRequest = new CertificateRequest("CN=adfs.test", tlsKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        tlsRequest.CertificateExtensions.Add(names.Build());
        tlsRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        tlsRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        tlsRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        tlsRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var issued = tlsRequest.Create(root, now.AddHours(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(12));
        using var withKey = issued.CopyWithPrivateKey(tlsKey);

        return (X509CertificateLoader.LoadCertificate(root.RawData),
            X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null));
    }
}
