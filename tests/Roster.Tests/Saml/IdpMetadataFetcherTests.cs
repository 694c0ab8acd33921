using System.Security.Cryptography.X509Certificates;
using System.Text;
using Roster.Saml;

namespace Roster.Tests.Saml;

public sealed class IdpMetadataFetcherTests(HttpsMetadataServer server) : IClassFixture<HttpsMetadataServer>
{
    IdpMetadataFetchOptions Trusting(bool allowPrivateAddresses = true) => new()
    {
        AllowPrivateAddresses = allowPrivateAddresses,
        ExtraTrustedRoots = [server.InternalRoot],
    };

    [Fact]
    public async Task Metadata_is_fetched_over_https_from_an_allowed_private_address_with_an_internal_ca()
    {
        var xml = await IdpMetadataFetcher.FetchAsync(server.Url("/metadata"), Trusting());

        Assert.Equal(HttpsMetadataServer.Metadata, xml);
    }

    [Fact]
    public async Task Plain_http_is_refused()
    {
        var error = await Assert.ThrowsAsync<SamlMetadataException>(() =>
            IdpMetadataFetcher.FetchAsync(new Uri($"http://127.0.0.1:{server.Port}/metadata"), Trusting()));

        Assert.StartsWith($"Could not fetch IdP metadata from http://127.0.0.1:{server.Port}/metadata: Roster fetches metadata over https only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_loopback_address_is_refused_unless_private_addresses_are_allowed()
    {
        var error = await Assert.ThrowsAsync<SamlMetadataException>(() =>
            IdpMetadataFetcher.FetchAsync(server.Url("/metadata"), Trusting(allowPrivateAddresses: false)));

        Assert.Equal($"Could not fetch IdP metadata from {server.Url("/metadata")}: 127.0.0.1 is a loopback address, and private addresses are not allowed.", error.Message);
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_loopback_is_refused()
    {
        var error = await Assert.ThrowsAsync<SamlMetadataException>(() =>
            IdpMetadataFetcher.FetchAsync(server.Url("/metadata", host: "localhost"), Trusting(allowPrivateAddresses: false)));

        Assert.Contains(": localhost resolves to ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(", a loopback address, and private addresses are not allowed.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://[::1]/metadata", "::1 is a loopback address, and private addresses are not allowed.")]
    [InlineData("https://[::ffff:127.0.0.1]/metadata", "::ffff:127.0.0.1 is a loopback address, and private addresses are not allowed.")]
    [InlineData("https://10.1.2.3/metadata", "10.1.2.3 is a private (RFC 1918) address, and private addresses are not allowed.")]
    [InlineData("https://[fd12:3456::1]/metadata", "fd12:3456::1 is a unique-local IPv6 address (fc00::/7), and private addresses are not allowed.")]
    public async Task Private_address_literals_are_refused_before_connecting(string url, string reason)
    {
        var error = await Assert.ThrowsAsync<SamlMetadataException>(() => IdpMetadataFetcher.FetchAsync(new Uri(url), new IdpMetadataFetchOptions()));

        Assert.Equal($"Could not fetch IdP metadata from {url}: {reason}", error.Message);
    }

    [Fact]
    public async Task The_cloud_metadata_address_is_refused_even_when_private_addresses_are_allowed()
    {
        var error = await Assert.ThrowsAsync<SamlMetadataException>(() =>
            IdpMetadataFetcher.FetchAsync(new Uri("https://169.254.169.254/latest/meta-data/"), Trusting()));

        Assert.EndsWith("169.254.169.254 is a link-local address (169.254.0.0/16, where cloud metadata services answer), which Roster never connects to.",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_internal_root_the_servers_certificate_is_not_trusted()
    {
        var error = await Assert.ThrowsAsync<SamlMetadataException>(() =>
            IdpMetadataFetcher.FetchAsync(server.Url("/metadata"), new IdpMetadataFetchOptions { AllowPrivateAddresses = true }));

        Assert.StartsWith($"Could not fetch IdP metadata from {server.Url("/metadata")}: the server's TLS certificate (CN=adfs.test) is not trusted (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("If the IdP's certificate comes from an internal CA, give that CA's root certificate as an extra trusted root.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_root_that_did_not_issue_the_servers_certificate_does_not_help()
    {
        var unrelated = new X509Certificate2Collection();
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Unrelated Root", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        unrelated.Add(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));

        var error = await Assert.ThrowsAsync<SamlMetadataException>(() =>
            IdpMetadataFetcher.FetchAsync(server.Url("/metadata"), new IdpMetadataFetchOptions { AllowPrivateAddresses = true, ExtraTrustedRoots = unrelated }));

        Assert.Contains("the server's TLS certificate (CN=adfs.test) chains neither to a system root nor to an extra trusted root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirects_are_followed_up_to_three_times()
    {
        Assert.Equal(HttpsMetadataServer.Metadata, await IdpMetadataFetcher.FetchAsync(server.Url("/redirect/relative"), Trusting()));
        Assert.Equal(HttpsMetadataServer.Metadata, await IdpMetadataFetcher.FetchAsync(server.Url("/redirect/chain/2"), Trusting()));

        var error = await Assert.ThrowsAsync<SamlMetadataException>(() => IdpMetadataFetcher.FetchAsync(server.Url("/redirect/chain/3"), Trusting()));
        Assert.Equal($"Could not fetch IdP metadata from {server.Url("/redirect/chain/3")} (at {server.Url("/redirect/chain/0")}): it redirects more than 3 times.", error.Message);
    }

    [Fact]
    public async Task A_redirect_to_a_refused_address_is_refused()
    {
        var error = await Assert.ThrowsAsync<SamlMetadataException>(() => IdpMetadataFetcher.FetchAsync(server.Url("/redirect/link-local"), Trusting()));

        Assert.Equal($"Could not fetch IdP metadata from {server.Url("/redirect/link-local")} (at https://169.254.169.254/latest/meta-data/): " +
            "169.254.169.254 is a link-local address (169.254.0.0/16, where cloud metadata services answer), which Roster never connects to.", error.Message);
    }

    [Fact]
    public async Task A_redirect_to_http_is_refused()
    {
        var error = await Assert.ThrowsAsync<SamlMetadataException>(() => IdpMetadataFetcher.FetchAsync(server.Url("/redirect/http"), Trusting()));

        Assert.StartsWith($"Could not fetch IdP metadata from {server.Url("/redirect/http")}: it redirects to http://127.0.0.1:{server.Port}/metadata, " +
            "and Roster fetches metadata over https only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_whether_or_not_its_length_is_declared()
    {
        var options = Trusting() with { MaxBytes = 4999 };

        var declared = await Assert.ThrowsAsync<SamlMetadataException>(() => IdpMetadataFetcher.FetchAsync(server.Url("/large/declared"), options));
        var chunked = await Assert.ThrowsAsync<SamlMetadataException>(() => IdpMetadataFetcher.FetchAsync(server.Url("/large/chunked"), options));

        Assert.EndsWith(": its answer is 5,000 bytes; Roster reads at most 4,999.", declared.Message, StringComparison.Ordinal);
        Assert.EndsWith(": its answer is longer than 4,999 bytes, the most Roster reads.", chunked.Message, StringComparison.Ordinal);
        // At exactly the limit, both are read.
        Assert.Equal(5000, (await IdpMetadataFetcher.FetchAsync(server.Url("/large/declared"), options with { MaxBytes = 5000 })).Length);
        Assert.Equal(5000, (await IdpMetadataFetcher.FetchAsync(server.Url("/large/chunked"), options with { MaxBytes = 5000 })).Length);
    }

    [Fact]
    public async Task An_error_status_is_reported()
    {
        var error = await Assert.ThrowsAsync<SamlMetadataException>(() => IdpMetadataFetcher.FetchAsync(server.Url("/no-such-page"), Trusting()));

        Assert.Equal($"Could not fetch IdP metadata from {server.Url("/no-such-page")}: it answered HTTP 404 Not Found.", error.Message);
    }

    [Fact]
    public async Task A_server_that_never_answers_runs_into_the_timeout()
    {
        var error = await Assert.ThrowsAsync<SamlMetadataException>(() =>
            IdpMetadataFetcher.FetchAsync(server.Url("/silent"), Trusting() with { Timeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal($"Could not fetch IdP metadata from {server.Url("/silent")}: it did not answer within 0.3 seconds.", error.Message);
    }

    [Fact]
    public async Task Credentials_in_the_url_are_refused()
    {
        var url = new Uri($"https://admin:secret@127.0.0.1:{server.Port}/metadata");

        var error = await Assert.ThrowsAsync<SamlMetadataException>(() => IdpMetadataFetcher.FetchAsync(url, Trusting()));

        Assert.EndsWith("the URL carries a user name or password, which Roster does not send.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_reported_as_a_timeout()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => IdpMetadataFetcher.FetchAsync(server.Url("/metadata"), Trusting(), cancelled.Token));
    }
}
