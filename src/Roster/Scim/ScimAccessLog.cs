namespace Roster.Scim;

/// <summary>The line the access log writes per SCIM request, generated at compile time: no boxing of
/// its values and no parsing of its template per request, on the path every IdP call takes.</summary>
internal static partial class ScimAccessLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} {Elapsed:0.0}ms")]
    public static partial void Served(ILogger logger, string method, PathString path, int status, double elapsed);
}
