using Roster.Directory;
using Roster.Hosting;

namespace Roster.AdminConsole;

/// <summary>
/// Who is looking at the console. Two ways in: an owner account's console session (password or
/// set-up link), and a member's SAML session (the roster_session cookie SAML sign-in opens), taken as
/// it is rather than exchanged for a console session of its own. Taking it as it is means one session
/// to end: SCIM deactivation and sign-out already end member sessions, and the member's role is
/// computed from their groups on every request, so losing the admin group or the account ends console
/// access at the next page without a second session to hunt down.
/// </summary>
public sealed class ConsoleAccess(RosterDirectory directory)
{
    /// <summary>Everyone this browser is signed in as (an owner account, a member, or both; none when
    /// signed out). Invalid cookies are ignored.</summary>
    internal async Task<IReadOnlyList<ConsoleViewer>> ViewersAsync(HttpContext context)
    {
        var viewers = new List<ConsoleViewer>(2);
        var cancellationToken = context.RequestAborted;
        if (ConsoleCookie.Read(context.Request) is { } consoleSecret
            && await directory.ConsoleSessions.ValidateAsync(consoleSecret, cancellationToken) is { } consoleSession)
        {
            var enterprise = await directory.Enterprises.GetAsync(consoleSession.EnterpriseId, cancellationToken);
            if (await directory.Owners.FindAsync(enterprise, consoleSession.OwnerId, cancellationToken) is { } owner)
                viewers.Add(new ConsoleViewer(enterprise, owner.DisplayName ?? owner.Email, Directory.Roles.EnterpriseRole.Owner, IsOwnerAccount: true, owner.Email));
        }
        if (SessionCookie.Read(context.Request) is { } memberSecret
            && await directory.Sessions.ValidateAsync(memberSecret, cancellationToken) is { } memberSession)
        {
            var enterprise = await directory.Enterprises.GetAsync(memberSession.EnterpriseId, cancellationToken);
            var member = await directory.Roles.GetMemberAsync(enterprise, memberSession.MemberId, cancellationToken);
            viewers.Add(new ConsoleViewer(enterprise, member.DisplayName ?? member.UserName, member.Role, IsOwnerAccount: false, member.UserName));
        }
        return viewers;
    }
}
