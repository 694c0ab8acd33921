using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;

namespace Roster.AdminApi;

/// <summary>
/// An admin API error as RFC 9457 problem details (application/problem+json): type about:blank, the
/// status's own title, and a detail that says what to change. Written by hand rather than through
/// ASP.NET's problem-details service, which adds a per-request trace id: two refusals that must be
/// indistinguishable (another enterprise's URL, an enterprise that does not exist) are byte for byte
/// the same.
/// </summary>
public sealed class ApiProblem : IResult, IStatusCodeHttpResult
{
    public const string ContentType = "application/problem+json";

    /// <summary>The one answer to a request without a usable key, whatever was wrong with it.</summary>
    public const string UnauthorizedDetail =
        "Send an admin API key of this enterprise as 'Authorization: Bearer KEY' (roster apikey create, or the console's API keys page).";

    /// <summary>The one answer to an enterprise the key does not open, whether or not it exists.</summary>
    public const string EnterpriseNotFoundDetail = "No enterprise with this id or slug is open to this API key.";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Quotes and backticks as themselves: the body is JSON served as JSON, never inside HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    ApiProblem(int status, string detail)
    {
        StatusCode = status;
        Detail = detail;
    }

    public int? StatusCode { get; }
    public string Detail { get; }

    public static ApiProblem Of(int status, string detail) => new(status, detail);
    public static ApiProblem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);
    public static ApiProblem NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);
    public static ApiProblem Conflict(string detail) => new(StatusCodes.Status409Conflict, detail);
    public static ApiProblem Unauthorized() => new(StatusCodes.Status401Unauthorized, UnauthorizedDetail);
    public static ApiProblem EnterpriseNotFound() => new(StatusCodes.Status404NotFound, EnterpriseNotFoundDetail);

    /// <summary>The body's shape, for the OpenAPI document and for tests.</summary>
    public sealed record Body(string Type, string Title, int Status, string Detail);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var status = StatusCode!.Value;
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        // RFC 6750 §3: a 401 names the scheme; it says nothing of why (no error="invalid_token"), so that
        // a revoked key reads as an unknown one.
        if (status == StatusCodes.Status401Unauthorized) response.Headers.WWWAuthenticate = "Bearer";
        var body = new Body("about:blank", ReasonPhrases.GetReasonPhrase(status), status, Detail);
        await JsonSerializer.SerializeAsync(response.Body, body, Json, httpContext.RequestAborted);
    }
}
