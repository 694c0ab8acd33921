using Roster.Testing;

namespace Roster.Tests.Concurrency;

/// <summary>50 clients each run a member's whole life at once (create, join the one group, touch one
/// shared member, deactivate, leave or be deleted): member rows, the group's row, the shared row and the
/// event counter are locked by concurrent transactions in every order. Every answer is 2xx (no 5xx: a
/// deadlock on PostgreSQL is retried inside Roster) and the end state is exactly the one the requests ask for.</summary>
public sealed class ProvisioningStormTests
{
    const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Fifty_clients_provisioning_at_once_get_only_2xx_and_leave_exactly_the_asked_for_state(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var idp = await host.CreateEnterpriseAsync("Acme");
        var groupId = (await idp.PostAsync("Groups", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Everyone"}""")).AssertOk(201)["id"]!.GetValue<string>();
        var sharedId = (await idp.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"shared@acme.example"}""")).AssertOk(201)["id"]!.GetValue<string>();
        var clients = await ConcurrentClients.ConnectAsync(host, idp);
        var ids = new string[ConcurrentClients.Count];
        var requests = 0;

        static bool Leaves(int i) => i % 2 == 0;
        static bool Deleted(int i) => i % 5 == 0;

        await clients.RoundAsync(async (i, client) =>
        {
            var steps = new List<ScimResponse>();
            var created = await client.PostAsync("Users", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"storm{{i}}@acme.example"}""");
            steps.Add(created);
            ids[i] = created.AssertOk(201)["id"]!.GetValue<string>();
            steps.Add(await client.PatchAsync($"Groups/{groupId}", $$"""{"schemas":["{{PatchOp}}"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{ids[i]}}"}]}]}"""));
            steps.Add(await client.PatchAsync($"Users/{sharedId}", $$"""{"schemas":["{{PatchOp}}"],"Operations":[{"op":"replace","path":"title","value":"touched by {{i}}"}]}"""));
            steps.Add(await client.PatchAsync($"Users/{ids[i]}", $$$"""{"schemas":["{{{PatchOp}}}"],"Operations":[{"op":"replace","value":{"active":false}}]}"""));
            if (Leaves(i))
                steps.Add(await client.PatchAsync($"Groups/{groupId}", $$"""{"schemas":["{{PatchOp}}"],"Operations":[{"op":"remove","path":"members[value eq \"{{ids[i]}}\"]"}]}"""));
            if (Deleted(i)) steps.Add(await client.DeleteAsync($"Users/{ids[i]}"));
            Interlocked.Add(ref requests, steps.Count);
            ConcurrentClients.AssertNoServerError(steps);
            foreach (var step in steps) Assert.True(step.Status is >= 200 and < 300, $"client {i}: {step.Status} {step.Body}");
            return steps[^1];
        });

        var members = (await idp.GetAsync($"Groups/{groupId}")).AssertOk()["members"]?.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order().ToList() ?? [];
        var expected = Enumerable.Range(0, ConcurrentClients.Count).Where(i => !Leaves(i) && !Deleted(i)).Select(i => ids[i]).Order().ToList();
        Assert.Equal(expected, members);
        for (var i = 0; i < ConcurrentClients.Count; i++)
        {
            var user = await idp.GetAsync($"Users/{ids[i]}");
            if (Deleted(i)) user.AssertError(404);
            else Assert.False(user.AssertOk()["active"]!.GetValue<bool>());
        }
        Assert.StartsWith("touched by ", (await idp.GetAsync($"Users/{sharedId}")).AssertOk()["title"]!.GetValue<string>());
        // Every change succeeded and is in the provisioning log, none twice.
        var log = await host.Directory.Log.QueryAsync(idp.Enterprise, failedOnly: false, limit: 1000);
        Assert.Equal(requests, log.Count(e => e.Method != "GET" && e.HttpStatus is >= 200 and < 300) - 2); // less the two set-up creates
        Assert.DoesNotContain(log, e => e.HttpStatus >= 500);
    }
}
