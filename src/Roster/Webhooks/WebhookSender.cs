using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using System.Text;
using Roster.Directory.Webhooks;
using Roster.Saml;

namespace Roster.Webhooks;

/// <summary>
/// Sends one delivery: a signed POST of the event's JSON, answered within the timeout, never
/// following a redirect. Connections go only where <see cref="OutboundAddressPolicy"/> lets Roster
/// connect (private networks yes, where receivers usually run; link-local, cloud metadata and the like
/// never), checked at each connection against the addresses actually dialled.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    readonly HttpClient http;
    readonly TimeProvider clock;

    public WebhookSender(TimeSpan timeout, TimeProvider clock)
    {
        this.clock = clock;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            // Receivers usually run on the operator's private network; link-local, metadata and the like never.
            ConnectCallback = (context, token) => OutboundConnection.ConnectAsync(context.DnsEndPoint, allowPrivateAddresses: true, token),
        };
        http = new HttpClient(handler) { Timeout = timeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Roster-Webhooks/1.0");
    }

    public async Task<AttemptOutcome> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(delivery.Secret, clock.GetUtcNow(), delivery.Body));
        request.Headers.TryAddWithoutValidation("Roster-Event-Id", delivery.EventId);
        request.Headers.TryAddWithoutValidation("Roster-Event-Type", delivery.EventType);
        request.Headers.TryAddWithoutValidation("Roster-Delivery-Attempt", delivery.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var snippet = await ReadSnippetAsync(response, cancellationToken);
            return new AttemptOutcome((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"The endpoint answered {(int)response.StatusCode}.",
                watch.Elapsed, snippet);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(null, $"No answer within {http.Timeout.TotalSeconds:0} seconds.", watch.Elapsed, null);
        }
        catch (HttpRequestException e)
        {
            return new AttemptOutcome(null, Describe(e), watch.Elapsed, null);
        }
    }

    static async Task<string?> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new char[WebhookQueue.ResponseSnippetLength];
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return read == 0 ? null : new string(buffer, 0, read);
    }

    static string Describe(HttpRequestException e) => e.InnerException switch
    {
        OutboundAddressRefusedException refused => $"Roster does not connect there: {refused.Message}",
        SocketException socket => $"Could not connect: {socket.Message}.",
        System.Security.Authentication.AuthenticationException tls => $"TLS failed: {tls.Message}",
        _ => $"The request failed: {e.Message}",
    };

    public void Dispose() => http.Dispose();
}
