using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Roster.Tests.Resilience;

/// <summary>A storm member as its client last knew it: whether it exists, its id, the version of its
/// name and email (each change writes a new one, so every change is visible in the data), and whether
/// it is active.</summary>
public sealed record StormUserState(bool Exists, string? Id, int Version, bool Active);

/// <summary>A change sent whose answer never came (the process was killed under it): it may or may not
/// have been applied. The client waits until the checker has looked at the data and said which.</summary>
public sealed record PendingChange(int UserIndex, StormUserState? User, ImmutableHashSet<string>? Group, string Description);

/// <summary>
/// One client of the storm, as an IdP's provisioning worker: it owns a group and a few users, and
/// sends one change at a time to them (create, PUT, PATCH, deactivate, group member added or
/// removed), keeping what every 2xx answer set. Several clients run at once, on disjoint data, so
/// that each one's model says exactly what the store must hold.
/// </summary>
public sealed class StormClient(int index, int users, int seed)
{
    readonly Random random = new(seed);
    TaskCompletionSource resolved = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Index { get; } = index;
    public string GroupName => $"Storm group {Index}";
    public string? GroupId { get; set; }
    public StormUserState[] Users { get; } = Enumerable.Range(0, users).Select(_ => new StormUserState(false, null, 0, true)).ToArray();
    public ImmutableHashSet<string> GroupMembers { get; set; } = [];

    /// <summary>Changes applied per user (each one a log entry and an event), and to the group after its creation.</summary>
    public int[] UserChanges { get; } = new int[users];
    public int GroupChanges { get; set; }

    public PendingChange? Pending { get; private set; }

    public string Label(int user) => $"w{Index}u{user}";
    public string UserName(int user) => $"{Label(user)}@storm.example";
    public static string DisplayName(string label, int version) => $"Storm {label.ToUpperInvariant()} v{version}";
    public static string Email(string label, int version) => $"{label}.v{version}@Storm.Example";

    /// <summary>The checker's verdict on <see cref="Pending"/>: applied (the model takes it, its
    /// id now known) or not; the client may go on.</summary>
    public void Resolve(bool applied, string? createdId)
    {
        if (Pending is { } pending && applied)
        {
            if (pending.UserIndex >= 0)
            {
                Users[pending.UserIndex] = pending.User! with { Id = pending.User!.Id ?? createdId };
                UserChanges[pending.UserIndex]++;
            }
            else
            {
                GroupMembers = pending.Group!;
                GroupChanges++;
            }
        }
        Pending = null;
        resolved.TrySetResult();
    }

    public async Task RunAsync(StormGate gate, StormRecord record, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (Pending is not null)
            {
                try
                {
                    await resolved.Task.WaitAsync(stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                resolved = new(TaskCreationOptions.RunContinuationsAsynchronously);
                continue;
            }
            var http = await gate.EnterAsync(stop);
            if (http is null) return;
            try
            {
                await SendOneAsync(http, record);
            }
            finally
            {
                gate.Leave();
            }
        }
    }

    async Task SendOneAsync(HttpClient http, StormRecord record)
    {
        var user = random.Next(Users.Length);
        var state = Users[user];
        var label = Label(user);
        HttpMethod method;
        string path;
        JsonObject body;
        StormUserState? next = null;
        ImmutableHashSet<string>? nextGroup = null;
        string kind;
        var roll = random.Next(100);
        if (!state.Exists)
        {
            next = new StormUserState(true, null, state.Version + 1, true);
            (method, path, kind) = (HttpMethod.Post, "Users", "create");
            body = UserResource(label, next);
        }
        else if (roll < 30)
        {
            next = state with { Version = state.Version + 1, Active = random.Next(5) > 0 };
            (method, path, kind) = (HttpMethod.Put, $"Users/{state.Id}", "put");
            body = UserResource(label, next);
        }
        else if (roll < 70)
        {
            // Below 55 a rename; above, a deactivation (with a new name, so that it too is visible).
            next = state with { Version = state.Version + 1, Active = roll < 55 && state.Active };
            (method, path, kind) = (HttpMethod.Patch, $"Users/{state.Id}", roll < 55 ? "patch" : "deactivate");
            body = PatchOp(new JsonObject
            {
                ["op"] = "replace",
                ["value"] = new JsonObject
                {
                    ["displayName"] = DisplayName(label, next.Version),
                    ["emails"] = Emails(label, next.Version),
                    ["active"] = next.Active,
                },
            });
        }
        else
        {
            var joined = GroupMembers.Contains(state.Id!);
            nextGroup = joined ? GroupMembers.Remove(state.Id!) : GroupMembers.Add(state.Id!);
            (method, path, kind) = (HttpMethod.Patch, $"Groups/{GroupId}", joined ? "group-remove" : "group-add");
            body = PatchOp(joined
                ? new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{state.Id}\"]" }
                : new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = state.Id }) });
        }

        var description = $"client {Index}: {kind} {method} {path}";
        var cutAtStart = record.CutMark;
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/scim+json") };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request);
        }
        catch (TaskCanceledException)
        {
            record.Problem($"{description}: no answer within {http.Timeout.TotalSeconds} s (hung)");
            Pending = new PendingChange(next is null ? -1 : user, next, nextGroup, description);
            return;
        }
        catch (HttpRequestException e)
        {
            if (!record.CutSince(cutAtStart)) record.Problem($"{description}: the connection failed while Roster was up: {e.Message}");
            record.CutOff();
            Pending = new PendingChange(next is null ? -1 : user, next, nextGroup, description);
            return;
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                if (next is not null)
                {
                    var id = next.Id;
                    if (kind == "create")
                    {
                        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                        id = created["id"]!.GetValue<string>();
                    }
                    Users[user] = next with { Id = id };
                    UserChanges[user]++;
                }
                else
                {
                    GroupMembers = nextGroup!;
                    GroupChanges++;
                }
                record.Acknowledged(kind);
                return;
            }
            // A proxy answers 502 for a request its upstream died under: its outcome is unknown.
            if (!(status == (int)HttpStatusCode.BadGateway && record.CutSince(cutAtStart)))
                record.Problem($"{description}: {status} {await response.Content.ReadAsStringAsync()}");
            record.CutOff();
            Pending = new PendingChange(next is null ? -1 : user, next, nextGroup, description);
        }
    }

    static JsonObject UserResource(string label, StormUserState state) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = $"{label}@storm.example",
        ["displayName"] = DisplayName(label, state.Version),
        ["emails"] = Emails(label, state.Version),
        ["active"] = state.Active,
    };

    static JsonArray Emails(string label, int version) =>
        new(new JsonObject { ["value"] = Email(label, version), ["type"] = "work", ["primary"] = true });

    static JsonObject PatchOp(JsonObject operation) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray(operation),
    };
}

/// <summary>What the storm did, across clients: the 2xx answers by kind, the requests cut off by a
/// kill, and anything that should not have happened (a hang, an error while Roster was up).</summary>
public sealed class StormRecord
{
    readonly ConcurrentDictionary<string, int> acknowledged = new();
    readonly ConcurrentQueue<string> problems = new();
    int acked;
    int cutOff;
    int cutMark;
    int cutting;

    public int Acked => Volatile.Read(ref acked);
    public int CutOffRequests => Volatile.Read(ref cutOff);
    public IReadOnlyCollection<string> Problems => problems;
    public IReadOnlyDictionary<string, int> ByKind => acknowledged;

    /// <summary>Marks the start of a kill: a request begun before it and failing after it was cut off by it.</summary>
    public void BeginCut()
    {
        Interlocked.Increment(ref cutMark);
        Volatile.Write(ref cutting, 1);
    }

    public void EndCut() => Volatile.Write(ref cutting, 0);

    /// <summary>(mark, whether a kill was under way) when a request starts.</summary>
    public (int Mark, bool Cutting) CutMark => (Volatile.Read(ref cutMark), Volatile.Read(ref cutting) == 1);

    public bool CutSince((int Mark, bool Cutting) start) => start.Cutting || Volatile.Read(ref cutting) == 1 || Volatile.Read(ref cutMark) != start.Mark;

    public void Acknowledged(string kind)
    {
        Interlocked.Increment(ref acked);
        acknowledged.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    public void CutOff() => Interlocked.Increment(ref cutOff);

    public void Problem(string text) => problems.Enqueue(text);

    /// <summary>"412 acknowledged (create 40, put 120, ...), 9 cut off".</summary>
    public string Summary() =>
        $"{Acked} acknowledged ({string.Join(", ", acknowledged.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}), {CutOffRequests} cut off";
}
