using Roster.Testing;

namespace Roster.Tests.AdminApi;

/// <summary>Bad input gets an RFC 9457 problem that names what to change, never a 500, and changes nothing.</summary>
public sealed class AdminApiProblemTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_bad_body_or_query_is_a_400_problem_naming_the_field_and_changes_nothing(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        var key = (await host.Directory.ApiKeys.CreateAsync(acme, "ci", null, actor: null)).Key;
        using var api = AdminApiClient.For(host, acme, key);

        (await api.PutAsync("/deprovisioning-policy", "{\"graceDays\": ")).AssertProblem(400);
        Assert.Contains("'graceDays'", (await api.PutAsync("/deprovisioning-policy", """{"graceDays": "thirty"}""")).AssertProblem(400));
        Assert.Contains("'graceDays'", (await api.PutAsync("/deprovisioning-policy", """{"graceDays": 99999}""")).AssertProblem(400));
        Assert.Contains("'graceDays'", (await api.PutAsync("/deprovisioning-policy", """{"graceDays": "30"}""")).AssertProblem(400));
        Assert.Contains("'onDelete'", (await api.PutAsync("/deprovisioning-policy", """{"onDelete": "shred"}""")).AssertProblem(400));
        Assert.Contains("'graceDay'", (await api.PutAsync("/deprovisioning-policy", """{"graceDay": 3}""")).AssertProblem(400));
        (await api.PutAsync("/deprovisioning-policy", "null")).AssertProblem(400);
        Assert.Contains("Content-Type: application/json",
            (await api.SendAsync(HttpMethod.Put, "/deprovisioning-policy", "graceDays=3", "application/x-www-form-urlencoded")).AssertProblem(415));
        Assert.Contains("'role'", (await api.PostAsync("/role-mappings", """{"group": "Admins", "role": "emperor"}""")).AssertProblem(400));
        Assert.Contains("Admins", (await api.PostAsync("/role-mappings", """{"group": "Admins", "role": "admin"}""")).AssertProblem(400));
        Assert.Contains("'enabled'", (await api.PutAsync("/scim", "{}")).AssertProblem(400));
        Assert.Contains("'expiresInDays'", (await api.PostAsync("/scim/tokens", """{"expiresInDays": 0}""")).AssertProblem(400));
        Assert.Contains("'linkKey'", (await api.PutAsync("/linking", """{"linkKey": "shoeSize"}""")).AssertProblem(400));
        Assert.Contains("'domains'", (await api.PutAsync("/domains", """{"domains": ["not a domain"]}""")).AssertProblem(400));

        Assert.Contains("'status'", (await api.GetAsync("/members?status=asleep")).AssertProblem(400));
        Assert.Contains("'limit'", (await api.GetAsync("/members?limit=0")).AssertProblem(400));
        Assert.Contains("'group'", (await api.GetAsync("/members?group=no-such-group")).AssertProblem(400));
        Assert.Contains("start again from the first page", (await api.GetAsync("/members?cursor=not-a-cursor")).AssertProblem(400));
        Assert.Contains("start again from the first page", (await api.GetAsync("/groups?cursor=not-a-cursor")).AssertProblem(400));
        Assert.Contains("'from'", (await api.GetAsync("/provisioning-log?from=yesterday")).AssertProblem(400));
        Assert.Contains("'outcome'", (await api.GetAsync("/provisioning-log?outcome=meh")).AssertProblem(400));
        Assert.Contains("'before'", (await api.GetAsync("/provisioning-log?before=-1")).AssertProblem(400));

        Assert.Null((await host.Directory.DeprovisioningPolicies.GetAsync(acme)).UpdatedAt);
        Assert.Empty(await host.Directory.Tokens.ListAsync(acme));
        Assert.Empty(await host.Directory.Audit.ListAsync(acme, 10));
    }
}
