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
        // A create refused before it reached the directory has no target yet: the name it asked for
        // lets the log say who could not be provisioned.
        if (attempt.TargetName is null && attempt.Operation == "create") attempt.TargetName = NameIn(attempt.RequestBody.Span);
    }

    /// <summary>The top-level userName (a User) or displayName (a Group) of a JSON body, if it has one.</summary>
    static string? NameIn(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(body, new System.Text.Json.JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject) return null;
            string? displayName = null;
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var isUserName = reader.ValueTextEquals("userName"u8);
                var isDisplayName = reader.ValueTextEquals("displayName"u8);
                reader.Read();
                if (reader.TokenType == System.Text.Json.JsonTokenType.String && (isUserName || isDisplayName))
                {
                    var value = reader.GetString();
                    if (isUserName) return value is { Length: > 0 and <= 256 } ? value : null;
                    displayName = value is { Length: > 0 and <= 256 } ? value : null;
                }
                else
                {
                    reader.Skip();
                }
            }
            return displayName;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // a body that is not JSON names nobody
        }
        catch (InvalidOperationException)
        {
            return null;
        }
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
