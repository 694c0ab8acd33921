using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Health;
using Roster.Health;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/{slug}/health: the diagnosis of the enterprise's SCIM connection (findings first), the
/// facts behind it, and the self-test. The self-test's results are the answer to its POST: they are
/// of that run only, and nothing of them is kept but the log entries and audit entries it made.
/// </summary>
public sealed class HealthModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    public HealthReport? Report { get; private set; }

    /// <summary>The steps of the self-test just run; null on a GET.</summary>
    public IReadOnlyList<SelfTestStep>? SelfTest { get; private set; }

    /// <summary>Why the self-test could not even start (its token could not be made).</summary>
    public string? SelfTestError { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        Report = await new ConnectionHealth(directory).ReportAsync(Viewer!.Enterprise, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostSelfTestAsync(string slug)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        try
        {
            SelfTest = await new ScimSelfTest(directory).RunAsync(enterprise, SelfAddress(HttpContext), Actor, HttpContext.RequestAborted);
        }
        catch (RosterException e)
        {
            SelfTestError = $"The self-test could not run: {e.Message}";
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
        Report = await new ConnectionHealth(directory).ReportAsync(enterprise, HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>Where this server reaches itself: the very socket this request came in on. The public
    /// URL may be a proxy's name that does not resolve from inside, while the connection's local
    /// address is this process listening. Over TLS the request's own host is used, so the
    /// certificate's name matches.</summary>
    static Uri SelfAddress(HttpContext http)
    {
        if (!http.Request.IsHttps && http.Connection.LocalIpAddress is { } local)
        {
            var address = local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local;
            if (IPAddress.Any.Equals(address) || IPAddress.IPv6Any.Equals(address)) address = IPAddress.Loopback;
            var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            return new Uri($"http://{host}:{http.Connection.LocalPort}/");
        }
        return new Uri($"{http.Request.Scheme}://{http.Request.Host.Value}/");
    }

    public static string BadgeClass(string severity) => severity switch
    {
        HealthFinding.Problem => "badge-bad",
        HealthFinding.Warning => "badge-warn",
        _ => "badge-good",
    };

    public static string SeverityLabel(string severity) => severity switch
    {
        HealthFinding.Problem => "Problem",
        HealthFinding.Warning => "Warning",
        _ => "OK",
    };
}
