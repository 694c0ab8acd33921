using System.Net;
using System.Xml;
using Roster.Saml;

namespace Roster.Tests.Saml;

/// <summary>
/// A browser as far as SAML sign-in needs one: it follows no redirect by itself (each hop is
/// asserted), and keeps cookies as a browser would on this loopback address, Secure ones included
/// (browsers treat http://127.0.0.1 as a secure context; HttpClient's CookieContainer would drop them).
/// </summary>
public sealed class SamlBrowser : IDisposable
{
    readonly HttpClient http;
    readonly Dictionary<string, string> cookies = new(StringComparer.Ordinal);

    public SamlBrowser(Uri baseAddress)
    {
        http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress };
    }

    /// <summary>Every Set-Cookie header received, as sent: the tests read their attributes.</summary>
    public List<string> SetCookies { get; } = [];

    public string? Cookie(string name) => cookies.GetValueOrDefault(name);

    public IEnumerable<string> CookieNames => cookies.Keys;

    public void SetCookie(string name, string value) => cookies[name] = value;

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        return await SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostAsync(string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        return await SendAsync(request);
    }

    /// <summary>Starts a sign-in at Roster and returns the AuthnRequest as the IdP receives it.</summary>
    public async Task<StartedSignIn> StartAsync(string slug, string query = "")
    {
        using var response = await GetAsync($"/saml/{slug}/login{query}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var message = RedirectMessage.Decode(location.Query.TrimStart('?'));
        var document = new XmlDocument();
        document.LoadXml(message.Xml);
        return new StartedSignIn(location, document.DocumentElement!.GetAttribute("ID"), message.RelayState, message);
    }

    /// <summary>The IdP's auto-submitting form, posted to the ACS.</summary>
    public Task<HttpResponseMessage> PostResponseAsync(string slug, string samlResponse, string? relayState)
    {
        var fields = new List<KeyValuePair<string, string>> { new("SAMLResponse", samlResponse) };
        if (relayState is not null) fields.Add(new("RelayState", relayState));
        return PostFormAsync($"/saml/{slug}/acs", fields);
    }

    async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                SetCookies.Add(header);
                var pair = header.Split(';')[0];
                var equals = pair.IndexOf('=');
                var (name, value) = (pair[..equals].Trim(), pair[(equals + 1)..].Trim());
                var expired = header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) || header.Contains("max-age=0", StringComparison.OrdinalIgnoreCase);
                if (expired || value.Length == 0) cookies.Remove(name);
                else cookies[name] = value;
            }
        }
        return response;
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A sign-in Roster started: where it sent the browser, and the request the IdP answers.</summary>
public sealed record StartedSignIn(Uri IdpLocation, string RequestId, string? RelayState, RedirectMessage Message);
