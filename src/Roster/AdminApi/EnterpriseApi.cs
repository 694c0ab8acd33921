using Microsoft.Net.Http.Headers;
using Roster.Directory;
using Roster.Operations;
using Roster.Scim.Errors;

namespace Roster.AdminApi;

/// <summary>
/// The authenticated part of the admin API: <c>/api/v1/enterprises/{enterpriseId}</c>, where
/// <c>{enterpriseId}</c> is the enterprise's id or slug.
/// <para>To add an endpoint: in a file of its own, a static class with
/// <c>public static void Map(RouteGroupBuilder enterprise)</c> that calls
/// <c>enterprise.MapGet("/things", handler)</c> (a path relative to the enterprise) and is called once
/// from <see cref="AdminApiHosting.MapAdminApi"/> (or from the host, on the group
/// <see cref="MapEnterpriseApi"/> returns). The handler takes <see cref="HttpContext"/>, gets
/// <c>context.ApiCaller()</c> (the enterprise, the key, and the <c>Actor</c> to pass to every store
/// change so that it is audited as the key), reads a body with <c>context.ReadJsonAsync&lt;T&gt;()</c>
/// and query parameters with <see cref="ApiRequest"/>'s helpers, and returns an <see cref="IResult"/>
/// (<c>TypedResults.Ok(dto)</c>, or an <see cref="ApiProblem"/>). Describe it for the OpenAPI document
/// with <c>.WithSummary(...)</c>, <c>.Produces&lt;T&gt;()</c> and <c>.ProducesProblem(status)</c>; the
/// bearer scheme, the 401 and the 404 are added to every operation of the group.</para>
/// <para>By the time a handler runs, the filter has authenticated the key (401 otherwise, the same for
/// a missing, unknown, revoked or expired key) and checked that the URL names the key's own enterprise
/// (otherwise the 404 of an enterprise that does not exist). A <see cref="RosterException"/> the
/// handler lets through becomes a 400 problem with its message, an <see cref="ApiRequestException"/>
/// its status, a SCIM error its status, the database being unreachable a 503 with <c>Retry-After</c>;
/// nothing becomes a stack trace.</para>
/// </summary>
public static class EnterpriseApi
{
    public const string Prefix = "/api/v1";
    public const string EnterprisePattern = Prefix + "/enterprises/{enterpriseId}";
    public const string Tag = "Roster admin API";

    /// <summary>The group every enterprise endpoint of the admin API belongs to; see the class's remarks.</summary>
    public static RouteGroupBuilder MapEnterpriseApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(EnterprisePattern);
        group.AddEndpointFilter<EnterpriseApiFilter>();
        group.WithTags(Tag);
        group.ProducesProblem(StatusCodes.Status401Unauthorized, ApiProblem.ContentType);
        group.ProducesProblem(StatusCodes.Status404NotFound, ApiProblem.ContentType);
        group.ProducesProblem(StatusCodes.Status503ServiceUnavailable, ApiProblem.ContentType);
        return group;
    }
}

/// <summary>Authenticates the bearer key, finds the enterprise the URL names among the one it opens,
/// and turns the handler's refusals into problem details.</summary>
internal sealed class EnterpriseApiFilter(
    RosterDirectory directory, DeploymentRateLimits rateLimits, OperationsOptions operations, RosterTelemetry telemetry, ILogger<EnterpriseApiFilter> logger)
    : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        // Keys and one-time secrets travel in these responses: no cache keeps them.
        http.Response.Headers.CacheControl = "no-store";
        try
        {
            return await AuthorizedAsync(context, next);
        }
        catch (Exception e) when (DatabaseOutage.Is(e))
        {
            // The database is down or restarting (the key's lookup or the handler's work): a script
            // retries a 503 after Retry-After, as an IdP does; a 400 would tell it its request was wrong.
            logger.LogWarning("Admin API request {Method} {Path} failed: the database is unavailable: {Error}", http.Request.Method, http.Request.Path, e.Message);
            http.Response.Headers.RetryAfter = DatabaseOutage.RetryAfter;
            return ApiProblem.Of(StatusCodes.Status503ServiceUnavailable, "Roster's database is unavailable; try again later.");
        }
    }

    async ValueTask<object?> AuthorizedAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var authenticated = await directory.ApiKeys.AuthenticateAsync(BearerKey(http.Request), http.RequestAborted);
        if (authenticated is null) return ApiProblem.Unauthorized();
        var enterprise = authenticated.Enterprise;
        // Compared with the key's own enterprise only, never looked up: another enterprise's URL and one
        // that does not exist are the same 404, and neither costs a query.
        var requested = http.Request.RouteValues["enterpriseId"] as string;
        if (requested is null || !(requested == enterprise.Id || string.Equals(requested, enterprise.Slug, StringComparison.OrdinalIgnoreCase)))
            return ApiProblem.EnterpriseNotFound();
        var key = authenticated.ApiKey;
        // A key is limited as a SCIM token is (--rate-limit-token), before any other database work.
        if (operations.RateLimitPerToken > 0 && await rateLimits.AcquireAsync("api-key:" + key.Id, operations.RateLimitPerToken, http.RequestAborted) is { IsAllowed: false } refused)
        {
            telemetry.RateLimited("api_key");
            http.Response.Headers.RetryAfter = refused.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiProblem.Of(StatusCodes.Status429TooManyRequests,
                $"Too many requests: this API key's limit of {rateLimits.Shape.Describe(operations.RateLimitPerToken)} is reached. Retry after {refused.RetryAfterSeconds} second(s).");
        }
        http.SetApiCaller(new ApiCaller(enterprise, key.Id, key.Name, Directory.Audit.AuditActor.ApiKey(key.Id, key.Name)));
        try
        {
            return await next(context);
        }
        catch (ApiRequestException e)
        {
            return ApiProblem.Of(e.Status, e.Message);
        }
        catch (ScimException e)
        {
            return ApiProblem.Of(e.Status, e.Detail);
        }
        catch (RosterException e) when (!DatabaseOutage.Is(e))
        {
            return ApiProblem.BadRequest(e.Message);
        }
        catch (BadHttpRequestException e)
        {
            return ApiProblem.Of(e.StatusCode, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException && !DatabaseOutage.Is(e))
        {
            logger.LogError(e, "Admin API request {Method} {Path} failed", http.Request.Method, http.Request.Path);
            return ApiProblem.Of(StatusCodes.Status500InternalServerError, "Roster could not answer this request; the server's log says why.");
        }
    }

    /// <summary>The key of an <c>Authorization: Bearer KEY</c> header; null for anything else.</summary>
    static string? BearerKey(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }
}
