using Roster.Directory.Enterprises;

namespace Roster.Tests.Hostile;

/// <summary>Everything a SCIM client could have changed in an enterprise, as text: its members and
/// groups (with members, versions and lastModified) and its event counter. Two equal snapshots mean
/// that nothing was written in between.</summary>
public sealed record EnterpriseSnapshot(string Members, string Groups, long LatestEvent, long SeatsUsed)
{
    public static async Task<EnterpriseSnapshot> TakeAsync(RosterTestHost host, ScimClient client, Enterprise enterprise) => new(
        (await client.GetAsync("Users?count=1000&sortBy=userName")).AssertOk().ToJsonString(),
        (await client.GetAsync("Groups?count=1000&sortBy=displayName")).AssertOk().ToJsonString(),
        await host.Directory.Events.LatestCursorAsync(enterprise),
        (await host.Directory.Enterprises.SummarizeAsync(enterprise)).SeatsUsed);
}
