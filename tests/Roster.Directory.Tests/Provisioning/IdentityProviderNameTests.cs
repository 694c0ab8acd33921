using Roster.Directory.Provisioning;

namespace Roster.Directory.Tests.Provisioning;

public sealed class IdentityProviderNameTests
{
    [Theory]
    [InlineData("Okta SCIM Client 1.0.0", "Okta")]
    [InlineData("OKTA SCIM Integration", "Okta")]
    [InlineData("Microsoft.Identity.Provisioning/1.0", "Microsoft Entra ID")]
    [InlineData("Azure AD SCIM", "Microsoft Entra ID")]
    [InlineData("OneLogin SCIM/2.0", "OneLogin")]
    [InlineData("JumpCloud-SCIM/1.2", "JumpCloud")]
    [InlineData("Google-Workspace-Provisioning", "Google Workspace")]
    [InlineData("curl/8.5.0", "curl/8.5.0")]
    [InlineData(null, IdentityProviderName.Unknown)]
    [InlineData("   ", IdentityProviderName.Unknown)]
    public void The_IdP_is_named_from_its_User_Agent(string? agent, string expected) =>
        Assert.Equal(expected, IdentityProviderName.FromUserAgent(agent));

    [Fact]
    public void An_unknown_long_agent_is_shortened_and_a_marker_inside_a_word_does_not_count()
    {
        var name = IdentityProviderName.FromUserAgent("Baadpa/1.0 (some very long client description that goes on and on)");
        Assert.StartsWith("Baadpa/1.0", name);
        Assert.EndsWith("…", name);
        Assert.True(name.Length <= 40);
    }
}
