using System.Data.Common;
using Roster.Directory.Audit;
using Roster.Directory.SignOn;
using Roster.Directory.Storage;

namespace Roster.Directory.Enterprises;

/// <summary>Whether an enterprise's SCIM provisioning is on, and what turning it on waits for.</summary>
/// <param name="LoginUrl">Where the test sign-in starts, once SAML is configured.</param>
public sealed record ScimStatus(Enterprise Enterprise, bool ScimEnabled, bool SamlConfigured, bool SamlVerified, string? LoginUrl);

/// <summary>
/// The rule for turning SCIM provisioning on: only once SAML sign-in works, that is, SAML is configured
/// and a test sign-in against its current IdP has succeeded. Members provisioned by SCIM are of no use
/// until they can sign in, and an IdP set up for SCIM but not for sign-in is the misconfiguration this
/// catches early. Turning it off is always allowed. An enterprise whose IdP changes later keeps SCIM on.
/// </summary>
public sealed class ScimActivation(RosterDatabase database, TimeProvider clock)
{
    public Task<ScimStatus> StatusAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => ReadStatusAsync(c, null, enterprise, cancellationToken), cancellationToken);

    /// <summary>Turns SCIM provisioning on; nothing to do when it is on already.</summary>
    /// <exception cref="RosterException">SAML sign-in does not work yet; the message says what to do.</exception>
    internal Task<ScimStatus> EnableAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        EnableAsync(enterprise, actor: null, cancellationToken);

    /// <summary>Turns SCIM provisioning on, recording in the same transaction that <paramref name="actor"/>
    /// did (nothing is recorded when it was on already).</summary>
    /// <exception cref="RosterException">SAML sign-in does not work yet; the message says what to do.</exception>
    public Task<ScimStatus> EnableAsync(Enterprise enterprise, AuditActor? actor, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            // The SAML configuration cannot change (and lose its verification) between the check and
            // the switch: saving it takes the same lock.
            await EnterpriseDirectory.LockAsync(connection, transaction, database.Dialect, enterprise, cancellationToken);
            var status = await ReadStatusAsync(connection, transaction, enterprise, cancellationToken);
            if (status.ScimEnabled) return status;
            if (!status.SamlConfigured)
            {
                throw new RosterException(
                    $"SCIM can be turned on once SAML sign-in works: configure SAML with `roster saml configure --enterprise {enterprise.Slug} --idp-metadata FILE|URL`, " +
                    $"then sign in once at the login URL it prints, adding ?test=1, and run `roster scim enable --enterprise {enterprise.Slug}` again.");
            }
            if (!status.SamlVerified)
            {
                throw new RosterException(
                    $"SCIM can be turned on once SAML sign-in works: SAML is configured for '{enterprise.Slug}', but no test sign-in has succeeded with its current IdP settings. " +
                    $"Sign in once at {SamlServiceProvider.TestSignInUrlOf(status.LoginUrl!)}, then run `roster scim enable --enterprise {enterprise.Slug}` again.");
            }
            await EnterpriseDirectory.SetScimEnabledAsync(connection, transaction, enterprise, true, cancellationToken);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.ScimEnabled,
                "SCIM provisioning turned on", clock.GetUtcNow(), cancellationToken);
            return status with { ScimEnabled = true };
        }, cancellationToken);

    /// <summary>Turns SCIM provisioning off: the enterprise's tokens are answered 403 from the next
    /// request on, and are kept for when it is turned on again.</summary>
    internal Task<ScimStatus> DisableAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        DisableAsync(enterprise, actor: null, cancellationToken);

    /// <summary>Turns SCIM provisioning off, recording in the same transaction that <paramref name="actor"/>
    /// did (nothing is recorded when it was off already).</summary>
    public Task<ScimStatus> DisableAsync(Enterprise enterprise, AuditActor? actor, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await EnterpriseDirectory.LockAsync(connection, transaction, database.Dialect, enterprise, cancellationToken);
            var before = await ReadStatusAsync(connection, transaction, enterprise, cancellationToken);
            await EnterpriseDirectory.SetScimEnabledAsync(connection, transaction, enterprise, false, cancellationToken);
            if (before.ScimEnabled)
            {
                await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.ScimDisabled,
                    "SCIM provisioning turned off: the enterprise's tokens are refused until it is turned on again", clock.GetUtcNow(), cancellationToken);
            }
            return before with { ScimEnabled = false };
        }, cancellationToken);

    static async Task<ScimStatus> ReadStatusAsync(DbConnection connection, DbTransaction? transaction, Enterprise enterprise, CancellationToken cancellationToken)
    {
        var rows = await connection.Command(
                "SELECT e.scim_enabled, s.enterprise_id, s.verified_at, s.login_url FROM enterprises e " +
                "LEFT JOIN saml_configurations s ON s.enterprise_id = e.id WHERE e.id = @e", transaction)
            .With("@e", enterprise.Id)
            .ListAsync(r => new ScimStatus(enterprise, r.GetBoolean(0), !r.IsDBNull(1), !r.IsDBNull(2), r.StringOrNull(3)), cancellationToken);
        return rows.Count == 1
            ? rows[0]
            : throw new RosterException($"No enterprise '{enterprise.Slug}'. `roster enterprise list` shows the ones that exist.");
    }
}
