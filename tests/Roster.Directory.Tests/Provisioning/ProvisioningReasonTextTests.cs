using Roster.Directory.Members;
using Roster.Directory.Provisioning;

namespace Roster.Directory.Tests.Provisioning;

/// <summary>Each failure an admin meets, in words that say what happened and what to do.</summary>
public sealed class ProvisioningReasonTextTests
{
    const string Okta = "Okta SCIM Client 1.0.0";

    static ProvisioningEvent Entry(string operation, string method, int status, string? scimType, string? reason, string? targetName = null,
        string? client = Okta, string path = "/scim/v2/acme/Users", string? resourceType = "User", string outcome = ProvisioningEvent.Failed,
        string? effect = null, string? requestBody = null) =>
        new(1, "e1", DateTimeOffset.UnixEpoch, "req-1", method, path, operation, resourceType, null, targetName, outcome, effect, status, scimType,
            reason, client, null, 3)
        {
            Messages = requestBody is null ? null : new ProvisioningMessages(null, requestBody, false, null, false),
        };

    [Fact]
    public void A_create_of_a_deactivated_members_userName_says_reactivate_instead()
    {
        var text = ProvisioningReasonText.Describe(Entry("create", "POST", 409, "uniqueness",
            $"A User with userName 'jane@acme.com' already exists in this enterprise: {MemberDirectory.ExistingDeactivatedMember} m1", "jane@acme.com"));
        Assert.StartsWith("Okta tried to create jane@acme.com, who already exists as a deactivated member: reactivate instead", text);
    }

    [Fact]
    public void A_create_of_an_active_members_userName_says_match_instead()
    {
        var text = ProvisioningReasonText.Describe(Entry("create", "POST", 409, "uniqueness",
            $"A User with userName 'jane@acme.com' already exists in this enterprise: {MemberDirectory.ExistingActiveMember} m1", "jane@acme.com"));
        Assert.Contains("who already exists as an active member", text);
    }

    [Theory]
    [InlineData("the bearer token 'Okta' (t1) was revoked", "revoked")]
    [InlineData("the bearer token 'Okta' (t1) expired", "expired")]
    [InlineData("the bearer token is not a token of this enterprise", "wrong SCIM token")]
    [InlineData("no Authorization header was sent", "sent no SCIM token")]
    [InlineData("the Authorization header is not a bearer token", "not a bearer token")]
    public void A_401_tells_which_token_problem(string reason, string expected)
    {
        var text = ProvisioningReasonText.Describe(Entry("list", "GET", 401, null, reason));
        Assert.StartsWith("Okta ", text);
        Assert.Contains(expected, text);
    }

    [Fact]
    public void A_403_says_SCIM_is_off() =>
        Assert.Contains("SCIM provisioning is turned off", ProvisioningReasonText.Describe(Entry("create", "POST", 403, null, "SCIM provisioning is turned off for this enterprise")));

    [Fact]
    public void A_404_names_the_unknown_member_from_the_path()
    {
        var text = ProvisioningReasonText.Describe(Entry("patch", "PATCH", 404, null, "No User with id 'u-42' in this enterprise.", path: "/scim/v2/acme/Users/u-42"));
        Assert.StartsWith("Okta tried to change user u-42, who does not exist in this enterprise", text);
    }

    [Fact]
    public void A_404_of_an_address_that_is_no_endpoint_says_check_the_base_URL() =>
        Assert.Contains("check the SCIM base URL",
            ProvisioningReasonText.Describe(Entry("unknown", "GET", 404, null, "There is no SCIM endpoint", path: "/scim/v2/acme/Userz", resourceType: null)));

    [Theory]
    [InlineData("invalidFilter", "with a filter Roster cannot read: Unexpected token at 12.")]
    [InlineData("invalidValue", "with a value Roster cannot accept: Unexpected token at 12.")]
    [InlineData("invalidPath", "with a PATCH path Roster cannot follow: Unexpected token at 12.")]
    [InlineData("invalidSyntax", "with a request Roster cannot read: Unexpected token at 12.")]
    public void A_400_gives_its_kind_and_the_detail(string scimType, string expected) =>
        Assert.EndsWith(expected, ProvisioningReasonText.Describe(Entry("list", "GET", 400, scimType, "Unexpected token at 12")));

    [Fact]
    public void A_412_says_the_copy_was_outdated() =>
        Assert.Contains("outdated copy", ProvisioningReasonText.Describe(Entry("replace", "PUT", 412, null, "version mismatch", "jane@acme.com")));

    [Fact]
    public void A_413_says_too_large() =>
        Assert.Contains("larger than Roster accepts", ProvisioningReasonText.Describe(Entry("bulk", "POST", 413, null, "The request body is larger than 1048576 bytes.")));

    [Fact]
    public void A_503_says_the_directory_was_unavailable() =>
        Assert.Contains("directory was unavailable", ProvisioningReasonText.Describe(Entry("create", "POST", 503, null, "database is locked")));

    [Fact]
    public void A_failed_deactivating_patch_is_called_a_deprovisioning()
    {
        var text = ProvisioningReasonText.Describe(Entry("patch", "PATCH", 404, null, "No User", "jane@acme.com",
            requestBody: """{"Operations":[{"op":"replace","value":{"active":false}}]}"""));
        Assert.StartsWith("Okta tried to deprovision jane@acme.com", text);
        var entra = ProvisioningReasonText.Describe(Entry("patch", "PATCH", 404, null, "No User", "jane@acme.com", client: "Azure AD SCIM",
            requestBody: """{"Operations":[{"op":"Replace","path":"active","value":"False"}]}"""));
        Assert.StartsWith("Microsoft Entra ID tried to deprovision jane@acme.com", entra);
    }

    [Fact]
    public void A_success_says_what_it_did() =>
        Assert.Equal("Okta deprovisioned jane@acme.com: access ended and the seat was freed.",
            ProvisioningReasonText.Describe(Entry("patch", "PATCH", 200, null, null, "jane@acme.com", outcome: ProvisioningEvent.Succeeded, effect: MemberEffect.Deactivated)));

    [Fact]
    public void The_deprovisioning_policy_and_domain_rule_effects_are_told_in_words()
    {
        string Say(string effect, string operation = "patch") => ProvisioningReasonText.Describe(
            Entry(operation, "PATCH", 200, null, null, "jane@acme.com", outcome: ProvisioningEvent.Succeeded, effect: effect));
        Assert.Equal("Okta provisioned jane@acme.com again, and Roster restored the member it had deprovisioned: the same member, with their history.",
            Say(MemberEffect.Restored, "create"));
        Assert.Equal("Okta deprovisioned jane@acme.com, and the enterprise's policy removed them: access ended, the seat was freed, the history is kept " +
                     "(policy: remove on deactivate, restorable until 2026-12-05 10:00 UTC).",
            Say(MemberEffect.Removed("deactivate", new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero))));
        Assert.StartsWith("Okta deleted jane@acme.com; the enterprise's policy suspends instead", Say(MemberEffect.SuspendedOnDelete, "delete"));
        Assert.Equal("Okta provisioned jane@acme.com, though the address is outside your email domains (gmail.com): the enterprise's rule flags such members rather than refusing them.",
            Say(MemberEffect.Provisioned + " (outside your domains: gmail.com)", "create"));
    }
}
