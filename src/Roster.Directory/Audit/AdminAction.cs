namespace Roster.Directory.Audit;

/// <summary>The codes of the audited admin actions. Stable: `roster audit` prints them and scripts
/// filter on them, so a code is only ever added, never renamed.</summary>
public static class AdminAction
{
    public const string ScimTokenCreated = "scim.token.created";
    public const string ScimTokenRevoked = "scim.token.revoked";
    public const string ScimEnabled = "scim.enabled";
    public const string ScimDisabled = "scim.disabled";
    public const string SamlConfigured = "saml.configured";
    public const string RoleMapped = "role.mapped";
    public const string RoleUnmapped = "role.unmapped";
    public const string OwnerCreated = "owner.created";
    public const string OwnerPasswordLinkIssued = "owner.password-link.issued";
    public const string OwnerPasswordSet = "owner.password.set";
    public const string OwnerRemoved = "owner.removed";
    public const string DomainAdded = "domain.added";
    public const string DomainRemoved = "domain.removed";
    public const string DomainRuleChanged = "domain.rule.changed";
    public const string LinkingChanged = "linking.changed";
    public const string MemberAdopted = "member.adopted";
    public const string MemberKeptApart = "member.kept-apart";
    public const string DeprovisioningPolicyChanged = "deprovisioning.policy.changed";
    public const string WebhookAdded = "webhook.added";
    public const string WebhookRemoved = "webhook.removed";
    public const string WebhookDeliveryResent = "webhook.delivery.resent";
    public const string RateLimitChanged = "ratelimit.changed";
    public const string ApiKeyCreated = "apikey.created";
    public const string ApiKeyRevoked = "apikey.revoked";
    public const string EnterpriseCreated = "enterprise.created";
    public const string SchemaAdded = "schema.added";
    public const string SchemaRemoved = "schema.removed";
}
