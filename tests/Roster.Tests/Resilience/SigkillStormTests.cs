using Roster.Directory;
using Roster.Testing;

namespace Roster.Tests.Resilience;

/// <summary>
/// A provisioning storm against <c>roster serve</c> — concurrent creates, PUTs, PATCHes,
/// deactivations and group membership changes — while the process is killed with SIGKILL at random
/// moments and restarted on the same data. After each kill: every change answered 2xx is in the
/// store, no change is half-applied, and the provisioning log and the event outbox agree with the
/// data (<see cref="StoreInvariants"/>).
/// </summary>
public sealed class SigkillStormTests(ITestOutputHelper output)
{
    const int Kills = 3;
    const int Clients = 6;
    const int UsersPerClient = 4;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Every_acknowledged_change_survives_SIGKILL_and_none_is_half_applied(string kind)
    {
        var random = new Random(ResilienceSeed.Next(output, $"SIGKILL storm ({kind})"));
        await using var database = await TestDatabase.CreateAsync(kind);
        var directory = await RosterDirectory.OpenAsync(RosterTestHost.StoreOf(database));
        var storm = await StormHarness.CreateAsync(directory);
        string[] store = kind == TestDatabase.Sqlite ? ["--data", database.DataDirectory!] : ["--database", database.ConnectionString!];
        var clients = Enumerable.Range(0, Clients).Select(i => new StormClient(i, UsersPerClient, random.Next())).ToList();
        var record = new StormRecord();
        var gate = new StormGate();
        using var stop = new CancellationTokenSource();
        var roster = await RosterProcess.StartAsync(store, StormHarness.Unlimited);
        var scim = storm.Scim(roster.BaseAddress);
        var running = new List<Task>();
        try
        {
            await storm.CreateGroupsAsync(scim, clients);
            running.AddRange(clients.Select(c => Task.Run(() => c.RunAsync(gate, record, stop.Token))));
            for (var kill = 1; kill <= Kills; kill++)
            {
                gate.Open(scim);
                var target = record.Acked + random.Next(25, 70);
                await StormHarness.WaitForAsync(() => record.Acked >= target, TimeSpan.FromSeconds(90), () => $"{target} acknowledged changes; {record.Summary()}");
                var drained = gate.CloseAsync();
                record.BeginCut();
                await roster.KillAsync();
                await drained.WaitAsync(TimeSpan.FromSeconds(30));
                await storm.WaitForQuietDatabaseAsync();
                var problems = await StoreInvariants.CheckAsync(directory.Database, storm.Enterprise.Id, clients);
                output.WriteLine($"kill {kill}: after {record.Summary()}: {(problems.Count == 0 ? "the store holds" : string.Join("; ", problems))}");
                Assert.True(problems.Count == 0, $"After kill {kill}:\n{string.Join('\n', problems)}");

                roster = await RosterProcess.StartAsync(store, StormHarness.Unlimited, roster.Port);
                record.EndCut();
                scim.Dispose();
                scim = storm.Scim(roster.BaseAddress);
            }

            // A last round after the last restart, ended without a kill: the model is then exact.
            gate.Open(scim);
            var last = record.Acked + 25;
            await StormHarness.WaitForAsync(() => record.Acked >= last, TimeSpan.FromSeconds(90), () => $"{last} acknowledged changes; {record.Summary()}");
            await gate.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var final = await StoreInvariants.CheckAsync(directory.Database, storm.Enterprise.Id, clients);
            output.WriteLine($"{kind}: {Kills} kills, {record.Summary()}");
            Assert.True(final.Count == 0, string.Join('\n', final));
            Assert.True(record.Problems.Count == 0, string.Join('\n', record.Problems));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
            scim.Dispose();
            await roster.DisposeAsync();
        }
    }
}
