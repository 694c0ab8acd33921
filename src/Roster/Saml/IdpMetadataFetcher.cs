using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text;

namespace Roster.Saml;

/// <summary>
/// Downloads an IdP's metadata from the URL an administrator gives (<c>roster saml configure
/// --idp-metadata URL</c>, the console). The server does the fetching, from inside its network, so
/// the URL is treated as hostile (server-side request forgery): https only; every address the host
/// resolves to must be public (see <see cref="OutboundAddressPolicy"/>); the connection goes to the
/// very addresses that were checked, so a DNS answer cannot change between check and connect; at
/// most three redirects, each checked the same way; a size cap while reading; one timeout for all.
/// </summary>
public static class IdpMetadataFetcher
{
    public const int MaxRedirects = 3;

    /// <summary>The metadata document as text. Parse it with <see cref="IdentityProviderMetadata.Parse(string)"/>.</summary>
    /// <exception cref="SamlMetadataException">Refused or failed; the message names the URL and the reason.</exception>
    public static async Task<string> FetchAsync(Uri url, IdpMetadataFetchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBytes, 1);
        CheckUrl(url, url, redirectedFrom: null);

        var tlsFailure = new TlsFailure();
        // The timeout below covers the whole fetch; HttpClient's own would only cover each request.
        using var client = new HttpClient(CreateHandler(options, tlsFailure), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);

        var current = url;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current)
                {
                    // Never HTTP/3: QUIC connections do not go through ConnectCallback and its address check.
                    Version = HttpVersion.Version11,
                    VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
                };
                request.Headers.Accept.ParseAdd("application/samlmetadata+xml");
                request.Headers.Accept.ParseAdd("application/xml;q=0.9");
                request.Headers.Accept.ParseAdd("text/xml;q=0.8");
                request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Roster", null));

                HttpResponseMessage response;
                try
                {
                    response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                }
                catch (HttpRequestException e)
                {
                    throw Failure(url, current, Reason(e, current, tlsFailure), e);
                }

                using (response)
                {
                    if (IsRedirect(response.StatusCode))
                    {
                        var location = response.Headers.Location
                            ?? throw Failure(url, current, $"it answered HTTP {(int)response.StatusCode} without a Location.");
                        if (redirects == MaxRedirects) throw Failure(url, current, $"it redirects more than {MaxRedirects} times.");
                        var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                        CheckUrl(url, next, redirectedFrom: current);
                        current = next;
                        continue;
                    }
                    if (!response.IsSuccessStatusCode)
                    {
                        throw Failure(url, current, $"it answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
                    }
                    return await ReadBodyAsync(url, current, response, options.MaxBytes, timeout.Token);
                }
            }
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Failure(url, current, $"it did not answer within {options.Timeout.TotalSeconds:0.###} seconds.", e);
        }
    }

    static void CheckUrl(Uri original, Uri url, Uri? redirectedFrom)
    {
        var what = redirectedFrom is null ? "" : $"it redirects to {url}, and ";
        if (!url.IsAbsoluteUri) throw Failure(original, url, "it is not an absolute URL.");
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            throw Failure(original, redirectedFrom ?? url, $"{what}Roster fetches metadata over https only (the certificates in it are what " +
                "every sign-in is checked against, so nobody on the way may change them).");
        }
        if (url.UserInfo.Length > 0) throw Failure(original, redirectedFrom ?? url, $"{what}the URL carries a user name or password, which Roster does not send.");
    }

    static SocketsHttpHandler CreateHandler(IdpMetadataFetchOptions options, TlsFailure tlsFailure)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // A proxy would connect on our behalf, to addresses this code never checked.
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            // No connection is reused, so every request (each redirect too) resolves and checks anew.
            PooledConnectionLifetime = TimeSpan.Zero,
        };

        handler.ConnectCallback = (context, cancellationToken) =>
            OutboundConnection.ConnectAsync(context.DnsEndPoint, options.AllowPrivateAddresses, cancellationToken);

        var extraRoots = options.ExtraTrustedRoots;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            tlsFailure.Reason = null;
            if (errors == SslPolicyErrors.None) return true;
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            {
                tlsFailure.Reason = "the server sent no TLS certificate.";
                return false;
            }
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                tlsFailure.Reason = $"the server's TLS certificate ({certificate.Subject}) is not issued for this host name.";
                return false;
            }
            if (extraRoots is null || extraRoots.Count == 0)
            {
                tlsFailure.Reason = $"the server's TLS certificate ({certificate.Subject}) is not trusted ({ChainProblems(chain)}). " +
                    "If the IdP's certificate comes from an internal CA, give that CA's root certificate as an extra trusted root.";
                return false;
            }
            return ChainsToExtraRoot(certificate, chain, extraRoots, tlsFailure);
        };
        return handler;
    }

    /// <summary>The system's trust store already said no; the chain may still end at one of the
    /// operator's roots. Only that store is searched here, with the same checks otherwise (validity
    /// dates, server-authentication usage; revocation unchecked, as HttpClient's default).</summary>
    static bool ChainsToExtraRoot(X509Certificate certificate, X509Chain? presented, X509Certificate2Collection extraRoots, TlsFailure tlsFailure)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1")); // id-kp-serverAuth
        // The intermediates the server sent (SslStream puts them in the chain's ExtraStore).
        if (presented is not null) chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        if (chain.Build(leaf)) return true;
        tlsFailure.Reason = $"the server's TLS certificate ({leaf.Subject}) chains neither to a system root nor to an extra trusted root ({ChainProblems(chain)}).";
        return false;
    }

    static string ChainProblems(X509Chain? chain)
    {
        var problems = chain?.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError)
            .Select(s => s.StatusInformation.Trim().TrimEnd('.')).Where(s => s.Length > 0).Distinct().ToList();
        return problems is { Count: > 0 } ? string.Join("; ", problems) : "no trusted root";
    }

    static async Task<string> ReadBodyAsync(Uri original, Uri current, HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            throw Failure(original, current, $"its answer is {declared:N0} bytes; Roster reads at most {maxBytes:N0}.");
        }

        using var body = new MemoryStream();
        await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (body.Length + read > maxBytes) throw Failure(original, current, $"its answer is longer than {maxBytes:N0} bytes, the most Roster reads.");
                body.Write(buffer, 0, read);
            }
        }

        body.Position = 0;
        // UTF-8 unless a byte order mark says otherwise: XML's default, and what IdPs send.
        using var reader = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        try
        {
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException e)
        {
            throw Failure(original, current, "its answer is not UTF-8 text.", e);
        }
    }

    static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>Why a request failed, in words: the refusal from the connect callback, the TLS
    /// verdict, or the network error.</summary>
    static string Reason(HttpRequestException exception, Uri url, TlsFailure tlsFailure)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is OutboundAddressRefusedException refused) return refused.Message;
            if (inner is AuthenticationException) return tlsFailure.Reason ?? $"the TLS handshake with {url.Host} failed ({inner.Message}).";
        }
        var innermost = exception.GetBaseException();
        return $"{(innermost is SocketException socket ? $"connecting to {url.Host}:{url.Port} failed ({socket.SocketErrorCode})" : exception.Message.TrimEnd('.'))}.";
    }

    static SamlMetadataException Failure(Uri original, Uri current, string reason, Exception? inner = null)
    {
        var where = original == current ? $"{original}" : $"{original} (at {current})";
        var message = $"Could not fetch IdP metadata from {where}: {reason}";
        return inner is null ? new SamlMetadataException(message) : new SamlMetadataException(message, inner);
    }

    /// <summary>What the TLS validation callback found wrong, for the message (the exception
    /// HttpClient throws only says the callback said no).</summary>
    sealed class TlsFailure
    {
        public string? Reason { get; set; }
    }
}
