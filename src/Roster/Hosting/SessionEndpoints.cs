using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Saml;

namespace Roster.Hosting;

/// <summary>
/// The signed-in member's session: <c>GET /session</c> says who it is (JSON; 401 without a live
/// session), <c>POST /session/sign-out</c> ends it. A session whose member was deactivated or deleted
/// over SCIM is refused here at its next request, whatever its expiry.
/// </summary>
internal static class SessionEndpoints
{
    public static void Map(WebApplication app, RosterDirectory directory)
    {
        app.MapGet("/session", async context =>
        {
            SecurityHeaders.Apply(context.Response);
            var secret = SessionCookie.Read(context.Request);
            var session = secret is null ? null : await directory.Sessions.ValidateAsync(secret, context.RequestAborted);
            if (session is null)
            {
                if (secret is not null) SessionCookie.Delete(context.Response);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new JsonObject { ["signedIn"] = false }, context.RequestAborted);
                return;
            }
            var enterprise = await directory.Enterprises.GetAsync(session.EnterpriseId, context.RequestAborted);
            var member = await directory.Members.GetAsync(enterprise, session.MemberId, context.RequestAborted);
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["signedIn"] = true,
                ["enterprise"] = enterprise.Slug,
                ["memberId"] = member.Id,
                ["userName"] = member.UserName,
            }, context.RequestAborted);
        });
        app.MapPost("/session/sign-out", async context =>
        {
            SecurityHeaders.Apply(context.Response);
            if (SessionCookie.Read(context.Request) is { } secret) await directory.Sessions.EndAsync(secret, "signed out", context.RequestAborted);
            SessionCookie.Delete(context.Response);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
    }
}
