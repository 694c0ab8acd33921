using Roster.Directory.Enterprises;

namespace Roster.Tests.Isolation;

/// <summary>The preconditions of an audited change, made in the store without an actor (so adding no
/// audit entry) or by the IdP over SCIM: what the audit tests count is then the change's alone.</summary>
public static class UnauditedSetUp
{
    /// <summary>The enterprise's SCIM endpoint as its IdP, with a token made in the store.</summary>
    public static async Task<ScimClient> IdpAsync(RosterTestHost host, Enterprise enterprise)
    {
        var token = await host.Directory.Tokens.CreateAsync(enterprise, "Okta", null, actor: null);
        return new ScimClient(host.Client(enterprise, $"Bearer {token.Secret}"), enterprise, token.Secret);
    }

    /// <summary>An open linking conflict: a member who signed in (just in time, SCIM off), then a create
    /// of the same userName by the IdP, refused. Returns the member's id.</summary>
    public static async Task<string> ConflictAsync(RosterTestHost host, Enterprise enterprise, ScimClient idp, string userName)
    {
        await host.Directory.Enterprises.SetScimEnabledAsync(enterprise, false);
        var (member, created) = await host.Directory.Members.CreateFromSignInAsync(enterprise, userName, userName, "Jane", "Doe");
        Assert.True(created);
        await host.Directory.Enterprises.SetScimEnabledAsync(enterprise, true);
        (await idp.PostAsync("Users", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}"}""")).AssertError(409, "uniqueness");
        return member.Id;
    }
}
