using Roster.Directory;
using Roster.Directory.Enterprises;
using Roster.Directory.Tokens;

namespace Roster.AdminApi;

/// <summary>
/// The enterprise's SCIM provisioning: on or off (on only once SAML sign-in works, by
/// <see cref="ScimActivation"/>'s rule, refused with its message as the console refuses it), and its
/// bearer tokens: listed without their secrets, created (the secret in the 201's body, once), revoked.
/// </summary>
public static class ScimEndpoints
{
    public const int MaxExpiryDays = 3650;

    public sealed record ScimStatusResponse(bool Enabled, bool SamlConfigured, bool SamlVerified, string ScimPath);

    public sealed record ScimSwitchRequest(bool? Enabled = null);

    public sealed record ScimTokenResponse(
        string Id, string Name, string Hint, string Status, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt);

    public sealed record ScimTokenCreateRequest(string? Name = null, int? ExpiresInDays = null);

    /// <summary>A token just created: <c>token</c> is its secret, in this response only.</summary>
    public sealed record IssuedScimTokenResponse(
        string Id, string Name, string Hint, string Status, DateTime CreatedAt, DateTime? ExpiresAt, string Token, string ScimPath, bool ScimEnabled);

    public static void Map(RouteGroupBuilder enterprise)
    {
        enterprise.MapGet("/scim", GetAsync)
            .WithName("GetScim").WithSummary("Whether SCIM provisioning is on, and whether SAML sign-in (which turning it on waits for) works.")
            .Produces<ScimStatusResponse>();
        enterprise.MapPut("/scim", PutAsync)
            .WithName("SetScim").WithSummary("Turn SCIM provisioning on (refused with 409 until a SAML test sign-in succeeded) or off.")
            .WithJsonBody<ScimSwitchRequest>()
            .Produces<ScimStatusResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType)
            .ProducesProblem(StatusCodes.Status409Conflict, ApiProblem.ContentType);
        enterprise.MapGet("/scim/tokens", ListTokensAsync)
            .WithName("ListScimTokens").WithSummary("The SCIM bearer tokens, newest first, without their secrets.")
            .Produces<List<ScimTokenResponse>>();
        enterprise.MapPost("/scim/tokens", CreateTokenAsync)
            .WithName("CreateScimToken").WithSummary("Create a SCIM bearer token; its secret is in this response only.")
            .WithJsonBody<ScimTokenCreateRequest>()
            .Produces<IssuedScimTokenResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblem.ContentType);
        enterprise.MapDelete("/scim/tokens/{tokenId}", RevokeTokenAsync)
            .WithName("RevokeScimToken").WithSummary("Revoke a SCIM token: requests with it are refused from now on.")
            .Produces<ScimTokenResponse>();
    }

    static async Task<IResult> GetAsync(HttpContext context, RosterDirectory directory) =>
        TypedResults.Ok(Status(await directory.ScimActivation.StatusAsync(context.ApiCaller().Enterprise, context.RequestAborted)));

    static async Task<IResult> PutAsync(HttpContext context, RosterDirectory directory)
    {
        var caller = context.ApiCaller();
        var body = await context.ReadJsonAsync<ScimSwitchRequest>();
        if (body.Enabled is not { } enabled) throw ApiRequestException.BadRequest("The field 'enabled' is required: true or false.");
        if (!enabled) return TypedResults.Ok(Status(await directory.ScimActivation.DisableAsync(caller.Enterprise, caller.Actor, context.RequestAborted)));
        try
        {
            return TypedResults.Ok(Status(await directory.ScimActivation.EnableAsync(caller.Enterprise, caller.Actor, context.RequestAborted)));
        }
        catch (RosterException e)
        {
            return ApiProblem.Conflict(e.Message);
        }
    }

    static async Task<IResult> ListTokensAsync(HttpContext context, RosterDirectory directory)
    {
        var tokens = await directory.Tokens.ListAsync(context.ApiCaller().Enterprise, context.RequestAborted);
        var now = directory.Clock.GetUtcNow();
        return TypedResults.Ok(tokens.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Select(t => Token(t, now)).ToList());
    }

    static async Task<IResult> CreateTokenAsync(HttpContext context, RosterDirectory directory)
    {
        var caller = context.ApiCaller();
        var body = await context.ReadJsonAsync<ScimTokenCreateRequest>();
        if (body.ExpiresInDays is < 1 or > MaxExpiryDays)
            throw ApiRequestException.BadRequest($"The field 'expiresInDays' is a whole number of days from 1 to {MaxExpiryDays}, or null for a token that does not expire.");
        var now = directory.Clock.GetUtcNow();
        var issued = await directory.Tokens.CreateAsync(caller.Enterprise, body.Name, body.ExpiresInDays is { } days ? now.AddDays(days) : null, caller.Actor,
            context.RequestAborted);
        var status = await directory.ScimActivation.StatusAsync(caller.Enterprise, context.RequestAborted);
        var token = issued.Token;
        return TypedResults.Created($"{EnterpriseApi.Prefix}/enterprises/{caller.Enterprise.Id}/scim/tokens/{token.Id}",
            new IssuedScimTokenResponse(token.Id, token.Name, "…" + token.Hint, token.Status(now), ApiRequest.Utc(token.CreatedAt),
                ApiRequest.Utc(token.ExpiresAt), issued.Secret, caller.Enterprise.ScimPath, status.ScimEnabled));
    }

    static async Task<IResult> RevokeTokenAsync(HttpContext context, RosterDirectory directory, string tokenId)
    {
        var caller = context.ApiCaller();
        var tokens = await directory.Tokens.ListAsync(caller.Enterprise, context.RequestAborted);
        if (tokens.All(t => t.Id != tokenId)) return ApiProblem.NotFound("This enterprise has no SCIM token with that id.");
        var revoked = await directory.Tokens.RevokeAsync(caller.Enterprise, tokenId, caller.Actor, context.RequestAborted);
        return TypedResults.Ok(Token(revoked, directory.Clock.GetUtcNow()));
    }

    static ScimStatusResponse Status(ScimStatus status) =>
        new(status.ScimEnabled, status.SamlConfigured, status.SamlVerified, status.Enterprise.ScimPath);

    static ScimTokenResponse Token(ScimToken token, DateTimeOffset now) => new(
        token.Id, token.Name, "…" + token.Hint, token.Status(now), ApiRequest.Utc(token.CreatedAt), ApiRequest.Utc(token.ExpiresAt),
        ApiRequest.Utc(token.LastUsedAt), ApiRequest.Utc(token.RevokedAt));
}
