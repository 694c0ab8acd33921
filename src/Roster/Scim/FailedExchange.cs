using System.Text;
using Roster.Directory.Provisioning;
using Roster.Scim.Errors;

namespace Roster.Scim;

/// <summary>
/// What a failed attempt's log entry keeps of the HTTP exchange, gathered only once it has failed:
/// the headers worth showing and Roster's answer (the body is already referenced by the attempt; the
/// log redacts both bodies before writing them).
/// </summary>
internal static class FailedExchange
{
    /// <summary>Headers that say which client sent what; Authorization, Cookie and the like never.</summary>
    static readonly string[] ShownHeaders = ["User-Agent", "Content-Type", "Content-Length", "Accept", "If-Match", "If-None-Match"];

    public static void Describe(ProvisioningAttempt attempt, HttpRequest request, ScimException error)
    {
        attempt.RequestHeaders = ShownHeadersOf(request);
        attempt.ResponseBody = ScimErrorBody.From(error).ToJsonString();
    }

    public static string? ShownHeadersOf(HttpRequest request)
    {
        var lines = new StringBuilder();
        foreach (var name in ShownHeaders)
        {
            if (request.Headers.TryGetValue(name, out var values) && values.Count > 0)
                lines.Append(name).Append(": ").Append(values.ToString()).Append('\n');
        }
        return lines.Length == 0 ? null : lines.ToString(0, lines.Length - 1);
    }
}
