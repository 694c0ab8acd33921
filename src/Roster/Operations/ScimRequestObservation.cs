using System.Diagnostics;

namespace Roster.Operations;

/// <summary>One SCIM request as metrics and traces see it: started when the dispatcher takes it, told
/// its route once known, recorded with the status it was answered with when disposed.</summary>
internal sealed class ScimRequestObservation(RosterTelemetry telemetry, HttpContext http) : IDisposable
{
    readonly long started = Stopwatch.GetTimestamp();
    readonly Activity? activity = telemetry.ActivitySource.StartActivity("scim.request");
    string? operation;
    string? resourceType;

    public void Route(string? operation, string? resourceType)
    {
        this.operation = operation;
        this.resourceType = resourceType;
        if (activity is null) return;
        activity.DisplayName = $"SCIM {operation ?? "unknown"} {resourceType ?? ""}".TrimEnd();
        activity.SetTag("roster.scim.operation", operation);
        activity.SetTag("roster.scim.resource_type", resourceType);
    }

    public void Dispose()
    {
        var status = http.Response.StatusCode;
        telemetry.ScimRequestCompleted(operation, resourceType, http.Request.Headers.UserAgent.ToString(), status, Stopwatch.GetElapsedTime(started));
        if (activity is null) return;
        activity.SetTag("http.response.status_code", status);
        if (status >= 500) activity.SetStatus(ActivityStatusCode.Error);
        activity.Dispose();
    }
}
