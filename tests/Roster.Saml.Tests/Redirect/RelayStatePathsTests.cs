namespace Roster.Saml.Tests.Redirect;

/// <summary>The relaystate_* shapes of the attack corpus (saml.md §1.8), and the paths that must still work.</summary>
public sealed class RelayStatePathsTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/console")]
    [InlineData("/console/members?page=2&sort=name")]
    [InlineData("/console/members#top")]
    [InlineData("/console/%2F%2Fstill-a-path")]
    [InlineData("/é")]
    public void A_path_on_this_host_is_local(string value)
    {
        Assert.True(RelayStatePaths.IsLocalPath(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("//evil.example")]               // relaystate_protocol_relative
    [InlineData("//evil.example/console")]
    [InlineData("/\\evil.example")]              // relaystate_backslash: browsers read /\ as //
    [InlineData("\\\\evil.example")]
    [InlineData("\\/evil.example")]
    [InlineData("https://evil.example/")]        // relaystate_absolute
    [InlineData("http://evil.example")]
    [InlineData("HTTPS://evil.example")]
    [InlineData("javascript:alert(document.cookie)")] // relaystate_javascript
    [InlineData("JavaScript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("evil.example/console")]
    [InlineData("console")]
    [InlineData(" /console")]
    [InlineData("~/console")]
    [InlineData("/\t/evil.example")]             // browsers drop the tab and see //evil.example
    [InlineData("/\r\n/evil.example")]
    [InlineData("/console\n")]
    [InlineData("/\u0000")]
    [InlineData("/\u007F")]
    [InlineData("/\u0085evil")]
    [InlineData("/a\\b")]                      // stricter than IsLocalUrl: Roster's paths have no backslash
    public void Anything_else_is_not_local(string? value)
    {
        Assert.False(RelayStatePaths.IsLocalPath(value));
    }
}
