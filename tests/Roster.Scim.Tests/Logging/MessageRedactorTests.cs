using System.Text;
using Roster.Scim.Logging;

namespace Roster.Scim.Tests.Logging;

/// <summary>What the provisioning log keeps of a request: never a password or token, at most the cap.</summary>
public sealed class MessageRedactorTests
{
    static RedactedMessage Redact(string body, int max = MessageRedactor.DefaultMaxChars) => MessageRedactor.Redact(Encoding.UTF8.GetBytes(body), max);

    [Fact]
    public void An_Okta_create_keeps_its_attributes_and_loses_the_password_value()
    {
        var kept = Redact("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane@acme.com","password":"1mz050nq","active":true}""");
        Assert.DoesNotContain("1mz050nq", kept.Text);
        Assert.Contains("\"password\": \"[removed]\"", kept.Text);
        Assert.Contains("\"userName\": \"jane@acme.com\"", kept.Text);
        Assert.Contains("\n", kept.Text); // pretty-printed
        Assert.False(kept.Truncated);
    }

    [Theory]
    [InlineData("""{"PassWord":"s3cret-one"}""")]
    [InlineData("""{"urn:ietf:params:scim:schemas:extension:acme:2.0:User":{"password":"s3cret-one"}}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"password","value":"s3cret-one"}]}""")]
    [InlineData("""{"Operations":[{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:acme:2.0:User:password","value":"s3cret-one"}]}""")]
    [InlineData("""{"Operations":[{"op":"replace","value":{"password":"s3cret-one","active":true}}]}""")]
    [InlineData("""[{"nested":[{"deeper":{"userPassword":"s3cret-one"}}]}]""")]
    [InlineData("""{"apiToken":"s3cret-one"}""")]
    [InlineData("""{"client_secret":"s3cret-one"}""")]
    [InlineData("""{"note":"Bearer s3cret-one"}""")]
    [InlineData("""{"note":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzM2NyZXQtb25lIn0.s3cret-one"}""")]
    [InlineData("""{"x":["rst_s3cret-oneABCDEFGHIJKLMNOP"]}""")]
    public void A_secret_anywhere_in_JSON_is_removed(string body)
    {
        var kept = Redact(body);
        Assert.DoesNotContain("s3cret-one", kept.Text);
        Assert.Contains(MessageRedactor.Removed, kept.Text);
    }

    [Fact]
    public void A_patch_on_another_path_keeps_its_value()
    {
        var kept = Redact("""{"Operations":[{"op":"replace","path":"displayName","value":"Jane Doe"}]}""");
        Assert.Contains("Jane Doe", kept.Text);
        Assert.DoesNotContain(MessageRedactor.Removed, kept.Text);
    }

    [Theory]
    [InlineData("userName=jane&password=s3cret-one&active=true")]
    [InlineData("{\"userName\":\"jane\",\"password\":\"s3cret-one\" <- broken JSON")]
    [InlineData("password: s3cret-one")]
    [InlineData("Authorization: Bearer s3cret-one")]
    public void A_body_that_is_not_JSON_has_its_password_masked(string body)
    {
        var kept = Redact(body);
        Assert.DoesNotContain("s3cret-one", kept.Text);
        Assert.Contains(MessageRedactor.Removed, kept.Text);
    }

    [Fact]
    public void A_long_body_is_cut_at_the_cap_and_marked_truncated()
    {
        var body = "{\"userName\":\"" + new string('a', 5000) + "\",\"password\":\"s3cret-one\"}";
        var kept = Redact(body, max: 100);
        Assert.True(kept.Truncated);
        Assert.Equal(100, kept.Text.Length);
        Assert.DoesNotContain("s3cret-one", kept.Text);

        var text = "x=" + new string('b', 300) + "&password=s3cret-one";
        var cut = Redact(text, max: 100);
        Assert.True(cut.Truncated);
        Assert.True(cut.Text.Length <= 100);
    }

    [Fact]
    public void A_password_straddling_the_cap_in_text_is_not_left_half_visible()
    {
        var text = new string('b', 90) + "&password=s3cret-one-two-three";
        var cut = Redact(text, max: 105);
        Assert.DoesNotContain("s3cret", cut.Text);
    }

    [Fact]
    public void Invalid_UTF8_is_kept_as_text_without_failing()
    {
        var kept = MessageRedactor.Redact(new byte[] { 0x7B, 0xFF, 0xFE, 0x7D });
        Assert.False(kept.Truncated);
        Assert.Contains("\uFFFD", kept.Text);
    }

    [Fact]
    public void An_answer_given_as_text_is_redacted_the_same()
    {
        var kept = MessageRedactor.Redact("""{"detail":"token rst_abcdefghijklmnopqrstuvwx is bad","status":"401"}""");
        Assert.DoesNotContain("rst_abcdefghijklmnopqrstuvwx", kept.Text);
        Assert.Contains("\"status\": \"401\"", kept.Text);
    }
}
