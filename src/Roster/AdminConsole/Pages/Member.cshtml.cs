using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Roster.Directory;
using Roster.Directory.Groups;
using Roster.Directory.Members;
using Roster.Directory.Provisioning;
using Roster.Scim.Errors;

namespace Roster.AdminConsole.Pages;

/// <summary>
/// /console/{slug}/members/{id}: one member as the IdP sent them (the stored SCIM resource), their
/// status, groups, role (computed as <see cref="Roster.Directory.Roles.RoleMappings"/> computes it),
/// sessions, and every provisioning request that targeted them, newest first. An id of no member of
/// this enterprise, another enterprise's included, is the same 404.
/// </summary>
public sealed class MemberModel(ConsoleAccess access, RosterDirectory directory) : ConsolePageModel(access)
{
    public const int HistoryPageSize = 50;
    public const int SessionsShown = 20;

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Older history: entries before this log id.</summary>
    [FromQuery(Name = "before")] public long? Before { get; set; }

    public bool Missing { get; private set; }

    /// <summary>Set when the member is hidden from SCIM (removed, suspended on DELETE, or deleted).</summary>
    public DeprovisionedMember? Gone { get; private set; }

    public DateTimeOffset Now => directory.Clock.GetUtcNow();
    public MemberListingRow? Row { get; private set; }
    public Member? Member { get; private set; }
    public string Role { get; private set; } = "";
    public IReadOnlyList<MemberGroupRef> Groups { get; private set; } = [];
    public IReadOnlyList<MemberSessions.SessionRecord> Sessions { get; private set; } = [];
    public IReadOnlyList<ProvisioningEvent> History { get; private set; } = [];

    /// <summary>The id of the oldest entry shown when older ones remain, for the "Older" link.</summary>
    public long? OlderBefore { get; private set; }

    public string ResourceJson => Member!.Resource.ToJsonString(Indented);

    public async Task<IActionResult> OnGetAsync(string slug, string id)
    {
        if (await AuthorizeAsync(slug) is { } refused) return refused;
        var enterprise = Viewer!.Enterprise;
        var cancellationToken = HttpContext.RequestAborted;
        Row = await new MemberListing(directory.Database).FindAsync(enterprise, id, cancellationToken);
        if (Row is not null)
        {
            try
            {
                Member = await directory.Members.GetAsync(enterprise, id, cancellationToken);
            }
            catch (ScimException e) when (e.Status == StatusCodes.Status404NotFound)
            {
                // Deleted between the two reads: as gone as if it never was.
                Row = null;
            }
        }
        if (Row is null && await directory.Members.FindDeprovisionedAsync(enterprise, id, cancellationToken) is { } gone)
        {
            // Hidden from SCIM by a removal or a DELETE, but theirs is still the history an admin looks for.
            Gone = gone;
            Member = gone.Member;
            var resource = gone.Member.Resource;
            Row = new MemberListingRow(gone.Member.Id, gone.Member.UserName, resource["displayName"]?.GetValue<string>(),
                (resource["emails"] as System.Text.Json.Nodes.JsonArray)?.FirstOrDefault()?["value"]?.GetValue<string>(), gone.Member.Active,
                Roster.Directory.Roles.EnterpriseRole.Default, gone.Source, gone.Member.LastModified, gone.Member.DeactivatedAt);
        }
        if (Row is null)
        {
            Missing = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Role = await directory.Roles.RoleOfAsync(enterprise, id, cancellationToken);
        Groups = (await directory.Groups.GroupsOfAsync(enterprise, [id], cancellationToken)).GetValueOrDefault(id) ?? [];
        Sessions = await directory.Sessions.ListAsync(enterprise, id, SessionsShown, cancellationToken);
        // One more than shown tells whether older entries remain.
        var history = await directory.Log.QueryAsync(enterprise, failedOnly: false, HistoryPageSize + 1, Before, targetId: id, cancellationToken);
        if (history.Count > HistoryPageSize)
        {
            history.RemoveAt(history.Count - 1);
            OlderBefore = history[^1].Id;
        }
        History = history;
        return Page();
    }

    /// <summary>What a session is now: open, ended (and why), or expired.</summary>
    public string SessionState(MemberSessions.SessionRecord session) =>
        session.EndedAt is { } ended ? $"Ended {OverviewModel.Time(ended)}{(session.EndReason is { } reason ? $" ({reason})" : "")}"
        : session.ExpiresAt <= directory.Clock.GetUtcNow() ? "Expired"
        : "Open";
}
