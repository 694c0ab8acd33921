using Roster.Directory.Storage;
using Roster.Testing;

namespace Roster.Tests.Resilience;

/// <summary>The crash tests are only as good as their checker: on a store left as a short storm made
/// it, <see cref="StoreInvariants"/> finds nothing; after each kind of damage a crash could do (an
/// event lost, a row's columns apart from its resource, an indexed value missing, an acknowledged
/// change gone), it says so.</summary>
public sealed class StoreInvariantsTests
{
    [Fact]
    public async Task The_checker_holds_on_a_whole_store_and_names_each_kind_of_damage()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var storm = await StormHarness.CreateAsync(host.Directory);
        using var scim = storm.Scim(host.BaseAddress);
        List<StormClient> clients = [new StormClient(0, 3, seed: 7), new StormClient(1, 3, seed: 8)];
        await storm.CreateGroupsAsync(scim, clients);
        var gate = new StormGate();
        var record = new StormRecord();
        using var stop = new CancellationTokenSource();
        var running = clients.Select(c => Task.Run(() => c.RunAsync(gate, record, stop.Token))).ToList();
        gate.Open(scim);
        await StormHarness.WaitForAsync(() => record.Acked >= 40, TimeSpan.FromSeconds(60), () => $"40 changes; {record.Summary()}");
        await gate.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(running);
        var database = host.Directory.Database;
        var enterprise = storm.Enterprise.Id;
        Assert.Empty(record.Problems);
        Assert.Empty(await StoreInvariants.CheckAsync(database, enterprise, clients));

        await Damage(database, "DELETE FROM events WHERE enterprise_id = @e AND seq = (SELECT MAX(seq) FROM events WHERE enterprise_id = @e)", enterprise);
        var problems = await StoreInvariants.CheckAsync(database, enterprise, clients);
        Assert.Contains(problems, p => p.Contains("the event counter says"));

        await Damage(database, "UPDATE members SET display_name = 'Half applied' WHERE id = (SELECT MIN(id) FROM members WHERE enterprise_id = @e)", enterprise);
        problems = await StoreInvariants.CheckAsync(database, enterprise, clients);
        Assert.Contains(problems, p => p.Contains("displayName column 'Half applied' is not the resource's"));
        Assert.Contains(problems, p => p.Contains("acknowledged as") && p.Contains("'Half applied'"));

        await Damage(database, "DELETE FROM member_values WHERE member_id = (SELECT MAX(id) FROM members WHERE enterprise_id = @e)", enterprise);
        problems = await StoreInvariants.CheckAsync(database, enterprise, clients);
        Assert.Contains(problems, p => p.Contains("member_values emails [] are not the resource's"));

        await Damage(database, "DELETE FROM provisioning_events WHERE id = (SELECT MAX(id) FROM provisioning_events WHERE enterprise_id = @e AND outcome = 'succeeded')", enterprise);
        problems = await StoreInvariants.CheckAsync(database, enterprise, clients);
        Assert.Contains(problems, p => p.Contains("provisioning log entries"));
    }

    static Task Damage(RosterDatabase database, string sql, string enterpriseId) =>
        database.InTransactionAsync((c, t) => c.Command(sql, t).With("@e", enterpriseId).ExecuteAsync());
}
