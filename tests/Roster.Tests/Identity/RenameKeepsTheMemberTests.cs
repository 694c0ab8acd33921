using Roster.Testing;

namespace Roster.Tests.Identity;

/// <summary>A person whose userName or email changes in the IdP stays the same member: the IdP
/// addresses them by Roster's id, so a rename is an update, never a deprovision and a new member.
/// Their id, history, groups and the seat they hold stay; the old userName is free for someone else.</summary>
public sealed class RenameKeepsTheMemberTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_new_userName_and_email_from_the_IdP_update_the_same_member(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var created = await okta.PostAsync("Users", """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane.doe@acme.example","active":true,
             "emails":[{"primary":true,"type":"work","value":"jane.doe@acme.example"}],"name":{"givenName":"Jane","familyName":"Doe"}}
            """);
        var id = created.Json["id"]!.GetValue<string>();
        var group = await okta.PostAsync("Groups", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Design","members":[{"value":"{{id}}"}]}""");
        Assert.Equal(201, group.Status);
        var seatsBefore = (await host.Directory.Enterprises.SummarizeAsync(okta.Enterprise)).SeatsUsed;

        // Jane marries: Okta pushes her new login and email, by her id (PATCH as Okta does, then a PUT as Entra does).
        var patched = await okta.PatchAsync($"Users/{id}", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"replace","value":{"userName":"jane.roe@acme.example","name.familyName":"Roe"}},
              {"op":"replace","path":"emails[type eq \"work\"].value","value":"jane.roe@acme.example"}]}
            """);
        Assert.Equal(200, patched.Status);
        Assert.Equal(id, patched.Json["id"]!.GetValue<string>());
        Assert.Equal("jane.roe@acme.example", patched.Json["userName"]!.GetValue<string>());

        var byNewName = await okta.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"jane.roe@acme.example\""));
        Assert.Equal(id, byNewName.Json["Resources"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(0, (await okta.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"jane.doe@acme.example\""))).Json["totalResults"]!.GetValue<int>());
        var member = await host.Directory.Members.GetAsync(okta.Enterprise, id);
        Assert.True(member.Active);
        Assert.Equal("jane.roe@acme.example", member.Resource["emails"]![0]!["value"]!.GetValue<string>());
        Assert.Equal(seatsBefore, (await host.Directory.Enterprises.SummarizeAsync(okta.Enterprise)).SeatsUsed);
        Assert.Contains(id, (await okta.GetAsync($"Groups/{group.Json["id"]!.GetValue<string>()}")).Body);

        // One member's history: the create and the rename, both on the same id; no deprovision among them.
        var history = await host.Directory.Log.QueryAsync(okta.Enterprise, failedOnly: false, limit: 10, targetId: id);
        Assert.Equal(["updated", "provisioned"], history.Select(e => e.Effect));

        // The old userName is free: a colleague can have it.
        Assert.Equal(201, (await okta.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane.doe@acme.example"}""")).Status);
    }
}
