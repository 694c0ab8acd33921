using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Directory.Provisioning;
using Roster.Operations;
using Roster.Scim.Errors;
using Roster.Scim.Text;

namespace Roster.Scim;

/// <summary>
/// The SCIM endpoint of every enterprise, <c>/scim/v2/{enterprise}/...</c>: authenticates, routes to
/// one operation, and turns every failure into a SCIM Error (RFC 7644 §3.12) that is also written to
/// the enterprise's provisioning log. No input reaches the client as a bare 500.
/// </summary>
internal sealed class ScimDispatcher(RosterDirectory directory, ILogger<ScimDispatcher> logger, ScimRateLimiter rateLimiter, RosterTelemetry telemetry)
{
    public const string Prefix = "/scim/v2";

    sealed record Route(string Operation, string? ResourceType, Func<ScimRequest, string[], Task> Handle);

    /// <summary>Enterprises by slug. An enterprise's id, slug and name never change once created and
    /// enterprises are not deleted, so a found one is kept; a slug not (yet) found is asked again, so
    /// one created by the CLI while the server runs is served at once. What does change, whether its
    /// SCIM provisioning is on, is not kept here: it comes with the token check of every request.</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, Enterprise> enterprises = new(StringComparer.Ordinal);

    public async Task HandleAsync(HttpContext http)
    {
        var started = directory.Clock.GetUtcNow();
        using var observed = telemetry.ObserveScimRequest(http);
        var cancellationToken = http.RequestAborted;
        var segments = (http.Request.Path.Value ?? "")[Prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            await ScimHttp.WriteErrorAsync(http.Response, ScimException.NotFound("The SCIM base URL is /scim/v2/{enterprise}."), cancellationToken);
            return;
        }

        var slug = Uri.UnescapeDataString(segments[0]);
        Enterprise? enterprise = null;
        ProvisioningAttempt? attempt = null;
        try
        {
            // Kestrel has decoded the path once and each segment is unescaped again below, so "%2500"
            // arrives as NUL: refused before it reaches a query (PostgreSQL cannot hold it in text).
            if (!ScimText.IsAcceptable(slug) || segments.Any(s => !ScimText.IsAcceptable(Uri.UnescapeDataString(s))))
                throw ScimException.InvalidValue("The request path holds a NUL character or an unpaired surrogate; no SCIM id may.");
            if (!enterprises.TryGetValue(slug, out enterprise))
            {
                enterprise = await directory.Enterprises.FindBySlugAsync(slug, cancellationToken);
                if (enterprise is not null) enterprises.TryAdd(slug, enterprise);
            }
            var path = segments[1..].Select(Uri.UnescapeDataString).ToArray();
            var route = Resolve(http.Request.Method, path, http.Response);
            observed.Route(route?.Operation, route?.ResourceType);
            attempt = new ProvisioningAttempt
            {
                EnterpriseId = enterprise?.Id ?? "",
                Method = http.Request.Method,
                Path = http.Request.Path + http.Request.QueryString,
                Operation = route?.Operation ?? "unknown",
                ResourceType = route?.ResourceType,
                RequestId = http.TraceIdentifier,
                Client = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
                StartedAt = started,
            };

            var check = await ScimAuthenticator.AuthenticateAsync(directory, enterprise, http.Request, cancellationToken);
            if (!check.Succeeded)
            {
                // A revoked or expired token of this enterprise is named in its log: the health page
                // tells which token the IdP still sends.
                attempt.TokenId = check.PresentedTokenId;
                http.Response.Headers.WWWAuthenticate = "Bearer realm=\"Roster SCIM\", error=\"invalid_token\"";
                throw new ScimException(401, null, "Authentication failed: send a valid SCIM token of this enterprise as 'Authorization: Bearer TOKEN'.")
                {
                    Data = { ["reason"] = check.Failure },
                };
            }
            attempt.TokenId = check.Token!.Id;
            // Before any other database work: a client over its limit costs a token lookup, nothing more.
            if (await rateLimiter.RefuseAsync(http, enterprise!, check.Token.Id, cancellationToken)) return;
            if (!check.ScimEnabled)
            {
                // A valid token, but provisioning is off (a new enterprise until SAML sign-in works, or
                // turned off): the IdP is told who can turn it on, and the attempt is in the log.
                throw new ScimException(403, null,
                    $"SCIM provisioning is turned off for enterprise '{enterprise!.Slug}'. An owner or admin turns it on with " +
                    $"`roster scim enable --enterprise {enterprise.Slug}` once SAML sign-in works.")
                {
                    Data = { ["reason"] = "SCIM provisioning is turned off for this enterprise" },
                };
            }
            RequestTargetCheck.Check(http);
            if (route is null) throw ScimException.NotFound($"There is no SCIM endpoint at {http.Request.Path}.");

            var userType = await directory.Schemas.UserResourceTypeAsync(enterprise!, check.Schemas, cancellationToken);
            var request = new ScimRequest(http, directory, enterprise!, check.Token, attempt, userType);
            await route.Handle(request, path);
        }
        catch (ScimException e)
        {
            await FailAsync(http, enterprise, attempt, e, e.Data["reason"] as string ?? e.Detail);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e) when (DatabaseOutage.Is(e))
        {
            // The database is down or restarting: the IdP retries after Retry-After; one line, not a
            // stack trace per request, while it lasts.
            logger.LogWarning("SCIM request {Method} {Path} failed: the database is unavailable: {Error}", http.Request.Method, http.Request.Path, e.Message);
            if (!http.Response.HasStarted) http.Response.Headers.RetryAfter = DatabaseOutage.RetryAfter;
            await FailAsync(http, enterprise, attempt, new ScimException(503, null, "The directory is unavailable; try again later."), e.Message);
        }
        catch (RosterException e)
        {
            logger.LogError(e, "SCIM request {Method} {Path} failed", http.Request.Method, http.Request.Path);
            await FailAsync(http, enterprise, attempt, new ScimException(503, null, "The directory is unavailable; try again later."), e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "SCIM request {Method} {Path} failed unexpectedly", http.Request.Method, http.Request.Path);
            await FailAsync(http, enterprise, attempt,
                new ScimException(500, null, $"An unexpected error occurred; it was logged with request id {http.TraceIdentifier}."),
                $"internal error: {e.GetType().Name}");
        }
    }

    /// <summary>Records the failure, then answers it: once the client has its answer, the attempt is
    /// in the log (an admin who looks right after a failure in Okta finds it there).</summary>
    async Task FailAsync(HttpContext http, Enterprise? enterprise, ProvisioningAttempt? attempt, ScimException error, string reason)
    {
        if (enterprise is not null && attempt is not null)
        {
            try
            {
                FailedExchange.Describe(attempt, http.Request, error);
                await directory.Log.RecordFailureAsync(attempt, error.Status, error.ScimType, reason, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Could not record a failed provisioning attempt of enterprise {Enterprise}", enterprise.Slug);
            }
        }
        if (error.Status == 401 && attempt is not null)
        {
            try
            {
                await MisdirectedToken.RecordAsync(directory, http, enterprise?.Id, attempt, error, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Could not record a token sent to another enterprise's SCIM URL");
            }
        }
        if (!http.Response.HasStarted) await ScimHttp.WriteErrorAsync(http.Response, error, CancellationToken.None);
    }

    /// <summary>The operation for a method and path below the enterprise, or null for a path that does
    /// not exist. A path that exists with another method is a 405 naming the allowed ones.</summary>
    static Route? Resolve(string method, string[] path, HttpResponse response)
    {
        Route? Allow(string allowed, params (string Method, Route Route)[] routes)
        {
            foreach (var (m, r) in routes)
            {
                if (HttpMethods.Equals(m, method)) return r;
            }
            response.Headers.Allow = allowed;
            return new Route("unsupported", null, (_, _) => throw new ScimException(405, null, $"{method} is not supported here; use {allowed}."));
        }

        if (path.Length == 0) return null;
        var head = path[0];
        // The root .search (RFC 7644 §3.4.3) searches every resource type.
        if (path is [var rootSearch] && Is(rootSearch, ".search"))
            return Allow("POST", ("POST", new Route("search", null, RootSearchOperations.SearchAsync)));
        if (Is(head, "Users"))
        {
            if (path.Length == 1)
                return Allow("GET, POST",
                    ("GET", new Route("list", "User", UserOperations.ListAsync)),
                    ("POST", new Route("create", "User", UserOperations.CreateAsync)));
            if (path.Length == 2 && Is(path[1], ".search"))
                return Allow("POST", ("POST", new Route("search", "User", UserOperations.SearchAsync)));
            if (path.Length == 2)
                return Allow("GET, PUT, PATCH, DELETE",
                    ("GET", new Route("get", "User", UserOperations.GetAsync)),
                    ("PUT", new Route("replace", "User", UserOperations.ReplaceAsync)),
                    ("PATCH", new Route("patch", "User", UserOperations.PatchAsync)),
                    ("DELETE", new Route("delete", "User", UserOperations.DeleteAsync)));
            return null;
        }
        if (Is(head, "Groups"))
        {
            if (path.Length == 1)
                return Allow("GET, POST",
                    ("GET", new Route("list", "Group", GroupOperations.ListAsync)),
                    ("POST", new Route("create", "Group", GroupOperations.CreateAsync)));
            if (path.Length == 2 && Is(path[1], ".search"))
                return Allow("POST", ("POST", new Route("search", "Group", GroupOperations.SearchAsync)));
            if (path.Length == 2)
                return Allow("GET, PUT, PATCH, DELETE",
                    ("GET", new Route("get", "Group", GroupOperations.GetAsync)),
                    ("PUT", new Route("replace", "Group", GroupOperations.ReplaceAsync)),
                    ("PATCH", new Route("patch", "Group", GroupOperations.PatchAsync)),
                    ("DELETE", new Route("delete", "Group", GroupOperations.DeleteAsync)));
            return null;
        }
        if (Is(head, "Bulk") && path.Length == 1)
            return Allow("POST", ("POST", new Route("bulk", null, BulkOperations.BulkAsync)));
        if (Is(head, "ServiceProviderConfig") && path.Length == 1)
            return Allow("GET", ("GET", new Route("discovery", null, DiscoveryOperations.ServiceProviderConfigAsync)));
        if (Is(head, "ResourceTypes") && path.Length <= 2)
            return Allow("GET", ("GET", new Route("discovery", null, DiscoveryOperations.ResourceTypesAsync)));
        if (Is(head, "Schemas") && path.Length <= 2)
            return Allow("GET", ("GET", new Route("discovery", null, DiscoveryOperations.SchemasAsync)));
        return null;
    }

    // Endpoint names are matched without regard to case: clients write "users" as often as "Users".
    static bool Is(string segment, string name) => string.Equals(segment, name, StringComparison.OrdinalIgnoreCase);
}
