using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json.Nodes;
using Roster.Directory.Storage;

namespace Roster.Tests.Resilience;

/// <summary>
/// Reads the store behind Roster's back (SQL, no Roster code) and checks what a crash must never
/// leave: every acknowledged change present; a change cut off by a kill either whole or absent
/// (deciding which for the client that sent it); each member's row, its search document, its
/// member_values rows and its group memberships agreeing with each other; and the provisioning log
/// and the event outbox agreeing with the data — one log entry and one event per applied change,
/// none for a change that is not there, the cursors without a gap.
/// </summary>
public static class StoreInvariants
{
    sealed record MemberRow(string Id, string UserNameKey, string DisplayName, bool Active, string? EmailKey, JsonObject Resource, JsonObject Search);

    /// <summary>Checks the store against the clients' models, resolves their pending changes, and
    /// returns what is wrong (empty when all holds). Call it with no request in flight.</summary>
    public static async Task<List<string>> CheckAsync(RosterDatabase database, string enterpriseId, IReadOnlyList<StormClient> clients)
    {
        var problems = new List<string>();
        var (members, values, memberships, logCounts, events, lastSeq) = await database.ReadAsync(async c =>
        {
            var members = await c.Command("SELECT id, user_name_key, display_name, active, email_key, resource, search FROM members " +
                                          "WHERE enterprise_id = @e AND deleted_at IS NULL")
                .With("@e", enterpriseId)
                .ListAsync(r => new MemberRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4),
                    (JsonObject)JsonNode.Parse(r.GetString(5))!, (JsonObject)JsonNode.Parse(r.GetString(6))!));
            var values = await c.Command("SELECT member_id, attribute, value FROM member_values WHERE enterprise_id = @e").With("@e", enterpriseId)
                .ListAsync(r => (Member: r.GetString(0), Attribute: r.GetString(1), Value: r.GetString(2)));
            var memberships = await c.Command("SELECT group_id, member_id FROM group_members WHERE enterprise_id = @e").With("@e", enterpriseId)
                .ListAsync(r => (Group: r.GetString(0), Member: r.GetString(1)));
            var log = await c.Command("SELECT target_id, COUNT(*) FROM provisioning_events WHERE enterprise_id = @e AND outcome = 'succeeded' " +
                                  "AND (effect IS NULL OR effect <> 'unchanged') GROUP BY target_id")
                .With("@e", enterpriseId).ListAsync(r => (Target: r.IsDBNull(0) ? "" : r.GetString(0), Count: r.GetInt64(1)));
            var events = await c.Command("SELECT seq, type, subject_id, data FROM events WHERE enterprise_id = @e ORDER BY seq").With("@e", enterpriseId)
                .ListAsync(r => (Seq: r.GetInt64(0), Type: r.GetString(1), Subject: r.GetString(2), Data: (JsonObject)JsonNode.Parse(r.GetString(3))!));
            var last = await c.Command("SELECT COALESCE(MAX(last_seq), 0) FROM event_counters WHERE enterprise_id = @e").With("@e", enterpriseId).ScalarLongAsync();
            return (members, values, memberships, log.ToDictionary(l => l.Target, l => l.Count), events, last);
        });

        // Each row agrees with itself: columns, resource, search document, member_values.
        var valuesByMember = values.ToLookup(v => v.Member);
        foreach (var row in members)
        {
            var email = (row.Resource["emails"] as JsonArray)?.FirstOrDefault()?["value"]?.GetValue<string>();
            if (row.Resource["displayName"]?.GetValue<string>() != row.DisplayName) problems.Add($"member {row.Id}: displayName column '{row.DisplayName}' is not the resource's");
            if (row.Resource["active"]?.GetValue<bool>() != row.Active) problems.Add($"member {row.Id}: active column {row.Active} is not the resource's");
            if (row.EmailKey != email?.ToLowerInvariant()) problems.Add($"member {row.Id}: email column '{row.EmailKey}' is not the resource's '{email}'");
            if (row.Search["userName"]?.GetValue<string>() != row.UserNameKey) problems.Add($"member {row.Id}: search document's userName is not '{row.UserNameKey}'");
            var searchEmail = (row.Search["emails"] as JsonArray)?.FirstOrDefault()?["value"]?.GetValue<string>();
            if (searchEmail != email?.ToLowerInvariant()) problems.Add($"member {row.Id}: search document's email '{searchEmail}' is not the resource's '{email}'");
            var indexed = valuesByMember[row.Id].Where(v => v.Attribute == "emails").Select(v => v.Value).OrderBy(v => v, StringComparer.Ordinal).ToList();
            if (!indexed.SequenceEqual(email is null ? [] : [email.ToLowerInvariant()]))
                problems.Add($"member {row.Id}: member_values emails [{string.Join(", ", indexed)}] are not the resource's '{email}'");
        }
        var memberIds = members.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in values.Where(v => !memberIds.Contains(v.Member)).Select(v => v.Member).Distinct())
            problems.Add($"member_values rows of {orphan}, who is not a member");

        // Each client's model (and its pending change, resolved here) against the data.
        var byUserName = members.ToDictionary(m => m.UserNameKey, StringComparer.Ordinal);
        var groupSets = memberships.ToLookup(m => m.Group, m => m.Member);
        foreach (var client in clients)
        {
            var pending = client.Pending;
            for (var u = 0; u < client.Users.Length; u++)
            {
                byUserName.TryGetValue(client.UserName(u), out var row);
                var label = client.Label(u);
                var held = client.Users[u];
                if (pending is { UserIndex: var p } && p == u)
                {
                    var applied = Matches(pending.User!, row, label);
                    if (!applied && !Matches(held, row, label))
                        problems.Add($"{label}: the data ({Describe(row)}) is neither before nor after the change cut off ({pending.Description}): half-applied");
                    client.Resolve(applied, row?.Id);
                }
                else if (!Matches(held, row, label))
                {
                    problems.Add($"{label}: acknowledged as {Describe(held, label)}, but the data holds {Describe(row)}");
                }
            }
            var group = groupSets[client.GroupId!].ToImmutableHashSet(StringComparer.Ordinal);
            if (pending is { UserIndex: -1 })
            {
                var applied = group.SetEquals(pending.Group!);
                if (!applied && !group.SetEquals(client.GroupMembers))
                    problems.Add($"{client.GroupName}: members [{string.Join(", ", group)}] are neither before nor after the change cut off ({pending.Description})");
                client.Resolve(applied, null);
            }
            else if (!group.SetEquals(client.GroupMembers))
            {
                problems.Add($"{client.GroupName}: acknowledged members [{string.Join(", ", client.GroupMembers)}], the data holds [{string.Join(", ", group)}]");
            }
            if (client.Pending is not null) client.Resolve(false, null);
        }

        // The log and the outbox: one entry and one event per applied change, no more, no fewer.
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var client in clients)
        {
            expected[client.GroupId!] = 1 + client.GroupChanges;
            for (var u = 0; u < client.Users.Length; u++)
                if (client.Users[u].Id is { } id) expected[id] = client.UserChanges[u];
        }
        var eventCounts = events.GroupBy(e => e.Subject).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        foreach (var target in expected.Keys.Union(logCounts.Keys).Union(eventCounts.Keys))
        {
            var want = expected.GetValueOrDefault(target);
            if (logCounts.GetValueOrDefault(target) != want)
                problems.Add($"{target}: {logCounts.GetValueOrDefault(target)} provisioning log entries, {want} changes applied");
            if (eventCounts.GetValueOrDefault(target) != want)
                problems.Add($"{target}: {eventCounts.GetValueOrDefault(target)} events, {want} changes applied");
        }
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Seq != i + 1) problems.Add($"event cursors have a gap or a duplicate at position {i + 1}: seq {events[i].Seq}");
        }
        if (lastSeq != events.Count) problems.Add($"the event counter says {lastSeq}, there are {events.Count} events");

        // The last event of each member says what the row holds; replaying a group's membership events gives its members.
        foreach (var last in events.Where(e => e.Type.StartsWith("member.", StringComparison.Ordinal)).GroupBy(e => e.Subject).Select(g => g.Last()))
        {
            var row = members.FirstOrDefault(m => m.Id == last.Subject);
            var said = last.Data["member"]!;
            if (row is null) problems.Add($"member {last.Subject}: an event ({last.Type}) for a member who is not in the data");
            else if (said["displayName"]?.GetValue<string>() != row.DisplayName || said["active"]?.GetValue<bool>() != row.Active)
                problems.Add($"member {row.Id}: its last event ({last.Type}, seq {last.Seq}) says '{said["displayName"]}' active={said["active"]}, the row '{row.DisplayName}' active={row.Active}");
        }
        foreach (var client in clients)
        {
            var replayed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in events.Where(e => e.Subject == client.GroupId))
            {
                var member = e.Data["member"]?["id"]?.GetValue<string>();
                if (e.Type == "membership.added") replayed.Add(member!);
                else if (e.Type == "membership.removed") replayed.Remove(member!);
            }
            if (!replayed.SetEquals(groupSets[client.GroupId!]))
                problems.Add($"{client.GroupName}: its membership events replay to [{string.Join(", ", replayed)}], the data holds [{string.Join(", ", groupSets[client.GroupId!])}]");
        }
        return problems;
    }

    static bool Matches(StormUserState state, MemberRow? row, string label) =>
        state.Exists
            ? row is not null && (state.Id is null || state.Id == row.Id) && row.DisplayName == StormClient.DisplayName(label, state.Version) && row.Active == state.Active
            : row is null;

    static string Describe(StormUserState state, string label) =>
        state.Exists ? $"'{StormClient.DisplayName(label, state.Version)}' active={state.Active}" : "absent";

    static string Describe(MemberRow? row) => row is null ? "absent" : $"'{row.DisplayName}' active={row.Active}";
}
