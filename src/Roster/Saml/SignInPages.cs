using System.Net;
using System.Text;

namespace Roster.Saml;

/// <summary>
/// The few pages a person sees around a sign-in. They say what happened in plain words and never why a
/// sign-in was refused (that is for admins, in the sign-in log): the reference lets an admin find the
/// entry. No script, no external asset; a strict CSP says so to the browser too.
/// </summary>
internal static class SignInPages
{
    /// <param name="next">A link to where the person goes on from here, if anywhere.</param>
    public static Task WriteAsync(HttpResponse response, int status, string title, IEnumerable<string> paragraphs,
        IEnumerable<(string Term, string Value)>? facts = null, (string Text, string Href)? next = null)
    {
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        SecurityHeaders.Apply(response);
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        // The console's stylesheet and icon: Roster's own files, which the CSP's 'self' allows.
        html.Append("<title>").Append(Encode(title)).Append(" · Roster</title>")
            .Append("<link rel=\"stylesheet\" href=\"").Append(AdminConsole.ConsoleUrls.Stylesheet).Append("\">")
            .Append("<link rel=\"icon\" href=\"").Append(AdminConsole.ConsoleUrls.Icon).Append("\" type=\"image/svg+xml\">")
            .Append("</head><body><main class=\"narrow\"><h1>").Append(Encode(title)).Append("</h1>");
        foreach (var paragraph in paragraphs) html.Append("<p>").Append(Encode(paragraph)).Append("</p>");
        if (facts is not null)
        {
            html.Append("<dl class=\"facts\">");
            foreach (var (term, value) in facts) html.Append("<dt>").Append(Encode(term)).Append("</dt><dd>").Append(Encode(value)).Append("</dd>");
            html.Append("</dl>");
        }
        if (next is { } link) html.Append("<p><a class=\"button\" href=\"").Append(Encode(link.Href)).Append("\">").Append(Encode(link.Text)).Append("</a></p>");
        html.Append("</main></body></html>");
        return response.WriteAsync(html.ToString(), response.HttpContext.RequestAborted);
    }

    /// <summary>A refusal as the person signing in sees it: that it failed, whom to ask, and the
    /// reference the admin finds the precise reason under.</summary>
    public static Task RefusedAsync(HttpResponse response, int status, string reference) => WriteAsync(response, status, "Sign-in failed",
    [
        "Roster could not sign you in through your organisation's identity provider.",
        $"Your administrator can see why in Roster's sign-in log. Reference: {reference}.",
    ]);

    static string Encode(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>Headers every page Roster renders carries: no framing, no script, no sniffing, no caching
/// of pages that show who is signed in.</summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }
}
