using System.Data.Common;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Identity;
using Roster.Directory.Storage;

namespace Roster.Directory.SignOn;

/// <summary>
/// The SAML configuration of each enterprise (one per enterprise) and the IdP certificates it trusts.
/// A change of IdP (entity id, SSO URL or certificates) takes back the verification: the new IdP must
/// pass a test sign-in before it counts as working. SCIM provisioning that is on stays on meanwhile:
/// the directory is still right, only sign-in may not be.
/// </summary>
public sealed class SamlConfigurations(RosterDatabase database, TimeProvider clock)
{
    const int MaxEntityIdLength = 1024;
    const int MaxUrlLength = 2000;
    const int MaxMetadataLength = 2 * 1024 * 1024;
    const int MaxNameIdLength = 1024;

    const string Columns = "enterprise_id, sp_entity_id, acs_url, login_url, sp_certificate_pem, sp_private_key_pem, idp_entity_id, idp_sso_url, " +
                           "idp_metadata_xml, idp_metadata_url, allow_idp_initiated, allow_sha1, sign_authn_requests, want_assertions_signed, " +
                           $"COALESCE((SELECT l.link_key FROM enterprise_linking l WHERE l.enterprise_id = s.enterprise_id), '{LinkKey.UserName}'), " +
                           "jit_provisioning, revision, configured_at, updated_at, verified_at, verified_name_id";

    public Task<SamlConfiguration?> GetAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => ReadAsync(c, null, enterprise.Id, cancellationToken), cancellationToken);

    /// <summary>
    /// Configures SAML for the enterprise, or changes its configuration, in one transaction with the
    /// IdP's certificates, which <paramref name="settings"/> lists in full (a certificate it leaves
    /// out is no longer trusted). The service provider part is stored the first time only: afterwards
    /// the stored one is kept, as the IdP was set up with it; the result carries the one in force.
    /// </summary>
    /// <exception cref="RosterException">A setting is not valid; nothing was changed.</exception>
    internal Task<SamlConfigurationChange> SaveAsync(Enterprise enterprise, SamlSettings settings, CancellationToken cancellationToken = default) =>
        SaveAsync(enterprise, settings, actor: null, cancellationToken);

    /// <summary>Configures SAML as <see cref="SaveAsync(Enterprise, SamlSettings, CancellationToken)"/> does,
    /// recording in the same transaction that <paramref name="actor"/> did.</summary>
    /// <exception cref="RosterException">A setting is not valid; nothing was changed.</exception>
    public async Task<SamlConfigurationChange> SaveAsync(Enterprise enterprise, SamlSettings settings, AuditActor? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var identityProvider = Validate(settings.IdentityProvider);
        Validate(settings.Options);
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            // Saves of one enterprise (and turning its SCIM on) queue on its row, so that the check of
            // what changed and the write are one step.
            await EnterpriseDirectory.LockAsync(connection, transaction, database.Dialect, enterprise, cancellationToken);
            var before = await ReadAsync(connection, transaction, enterprise.Id, cancellationToken);
            var now = clock.GetUtcNow();
            var idp = identityProvider;
            var options = settings.Options;
            if (before is null)
            {
                var sp = Validate(settings.ServiceProvider);
                await connection.Command(
                        "INSERT INTO saml_configurations (enterprise_id, sp_entity_id, acs_url, login_url, sp_certificate_pem, sp_private_key_pem, " +
                        "idp_entity_id, idp_sso_url, idp_metadata_xml, idp_metadata_url, allow_idp_initiated, allow_sha1, sign_authn_requests, " +
                        "want_assertions_signed, jit_provisioning, revision, configured_at, updated_at) VALUES " +
                        "(@e, @spid, @acs, @login, @spcert, @spkey, @idpid, @sso, @xml, @url, @idpinit, @sha1, @sign, @want, @jit, 1, @now, @now)",
                        transaction)
                    .With("@e", enterprise.Id).With("@spid", sp.EntityId).With("@acs", sp.AcsUrl).With("@login", sp.LoginUrl)
                    .With("@spcert", sp.CertificatePem).With("@spkey", sp.PrivateKeyPem)
                    .WithIdentityProvider(idp).WithOptions(options).With("@now", now.ToDb())
                    .ExecuteAsync(cancellationToken);
            }
            else
            {
                var idpChanged = !before.IdentityProvider.IsSameIdentityAs(idp);
                await connection.Command(
                        "UPDATE saml_configurations SET idp_entity_id = @idpid, idp_sso_url = @sso, idp_metadata_xml = @xml, idp_metadata_url = @url, " +
                        "allow_idp_initiated = @idpinit, allow_sha1 = @sha1, sign_authn_requests = @sign, want_assertions_signed = @want, " +
                        "jit_provisioning = @jit, revision = revision + 1, updated_at = @now" +
                        (idpChanged ? ", verified_at = NULL, verified_name_id = NULL" : "") + " WHERE enterprise_id = @e", transaction)
                    .WithIdentityProvider(idp).WithOptions(options).With("@now", now.ToDb()).With("@e", enterprise.Id)
                    .ExecuteAsync(cancellationToken);
            }
            await ReplaceCertificatesAsync(connection, transaction, enterprise, idp.Certificates, now, cancellationToken);
            await MemberLinking.ChangeAsync(connection, transaction, enterprise.Id, options.MatchBy, adoptExisting: null, actor, now, cancellationToken);
            var after = await ReadAsync(connection, transaction, enterprise.Id, cancellationToken)
                        ?? throw new InvalidOperationException("The SAML configuration just written cannot be read back.");
            var change = new SamlConfigurationChange(before, after);
            await AdminAudit.RecordAsync(connection, transaction, enterprise.Id, actor, AdminAction.SamlConfigured, AuditSummary(change), now, cancellationToken);
            return change;
        }, cancellationToken);
    }

    /// <summary>Changes the options alone. The IdP stays verified: the options say what Roster accepts
    /// from it, not who it is.</summary>
    /// <exception cref="RosterException">SAML is not configured for the enterprise.</exception>
    public async Task<SamlConfiguration> SetOptionsAsync(Enterprise enterprise, SamlOptions options, CancellationToken cancellationToken = default)
    {
        Validate(options);
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var updated = await connection.Command(
                    "UPDATE saml_configurations SET allow_idp_initiated = @idpinit, allow_sha1 = @sha1, sign_authn_requests = @sign, " +
                    "want_assertions_signed = @want, jit_provisioning = @jit, revision = revision + 1, updated_at = @now " +
                    "WHERE enterprise_id = @e", transaction)
                .WithOptions(options).With("@now", now.ToDb()).With("@e", enterprise.Id).ExecuteAsync(cancellationToken);
            if (updated == 0) throw NotConfigured(enterprise);
            await MemberLinking.ChangeAsync(connection, transaction, enterprise.Id, options.MatchBy, adoptExisting: null, actor: null, now, cancellationToken);
            return (await ReadAsync(connection, transaction, enterprise.Id, cancellationToken))!;
        }, cancellationToken);
    }

    /// <summary>
    /// Records that a test sign-in succeeded against <paramref name="tested"/>, as <paramref name="nameId"/>.
    /// False, and nothing recorded, when the configuration was saved again since it was read: the
    /// sign-in proved the old one, and the new one must be tested itself.
    /// </summary>
    public async Task<bool> MarkVerifiedAsync(Enterprise enterprise, SamlConfiguration tested, string nameId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tested);
        if (tested.EnterpriseId != enterprise.Id) throw new ArgumentException("The configuration is another enterprise's.", nameof(tested));
        if (string.IsNullOrEmpty(nameId)) throw new ArgumentException("A verified sign-in has a NameID.", nameof(nameId));
        var updated = await database.InTransactionAsync((connection, transaction) =>
            connection.Command("UPDATE saml_configurations SET verified_at = @now, verified_name_id = @name WHERE enterprise_id = @e AND revision = @rev",
                    transaction)
                .With("@now", clock.GetUtcNow().ToDb()).With("@name", nameId.Length <= MaxNameIdLength ? nameId : nameId[..MaxNameIdLength])
                .With("@e", enterprise.Id).With("@rev", tested.Revision).ExecuteAsync(cancellationToken), cancellationToken);
        return updated == 1;
    }

    static string AuditSummary(SamlConfigurationChange change)
    {
        var idp = change.After.IdentityProvider;
        var what = change.Created ? "SAML configured" : change.IdentityProviderChanged ? "SAML IdP changed" : "SAML settings saved";
        var summary = $"{what}: IdP {idp.EntityId}, sign-in at {idp.SsoUrl}, {idp.Certificates.Count} signing certificate(s)";
        return change.VerificationCleared ? summary + "; the IdP must pass a test sign-in again" : summary;
    }

    internal static RosterException NotConfigured(Enterprise enterprise) => new(
        $"SAML is not configured for enterprise '{enterprise.Slug}': configure it with `roster saml configure --enterprise {enterprise.Slug} --idp-metadata FILE|URL`.");

    internal static async Task<SamlConfiguration?> ReadAsync(DbConnection connection, DbTransaction? transaction, string enterpriseId,
        CancellationToken cancellationToken)
    {
        var row = await connection.Command($"SELECT {Columns} FROM saml_configurations s WHERE enterprise_id = @e", transaction)
            .With("@e", enterpriseId).SingleOrDefaultAsync(r => new Row(r), cancellationToken);
        if (row is null) return null;
        var certificates = await connection.Command(
                "SELECT certificate_pem, thumbprint_sha256, not_before, not_after, added_at FROM saml_idp_certificates " +
                "WHERE enterprise_id = @e ORDER BY added_at, thumbprint_sha256", transaction)
            .With("@e", enterpriseId)
            .ListAsync(r => new SamlIdpCertificate(r.GetString(0), r.GetString(1), r.Time(2), r.Time(3), r.Time(4)), cancellationToken);
        return row.ToConfiguration(certificates);
    }

    static async Task ReplaceCertificatesAsync(DbConnection connection, DbTransaction transaction, Enterprise enterprise,
        IReadOnlyList<SamlIdpCertificate> certificates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await connection.Command("SELECT thumbprint_sha256 FROM saml_idp_certificates WHERE enterprise_id = @e", transaction)
            .With("@e", enterprise.Id).ListAsync(r => r.GetString(0), cancellationToken);
        var wanted = certificates.Select(c => c.ThumbprintSha256).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in stored.Where(t => !wanted.Contains(t)))
        {
            await connection.Command("DELETE FROM saml_idp_certificates WHERE enterprise_id = @e AND thumbprint_sha256 = @t", transaction)
                .With("@e", enterprise.Id).With("@t", gone).ExecuteAsync(cancellationToken);
        }
        foreach (var certificate in certificates.Where(c => !stored.Contains(c.ThumbprintSha256, StringComparer.Ordinal)))
        {
            await connection.Command(
                    "INSERT INTO saml_idp_certificates (enterprise_id, thumbprint_sha256, certificate_pem, not_before, not_after, added_at) " +
                    "VALUES (@e, @t, @pem, @nb, @na, @now)", transaction)
                .With("@e", enterprise.Id).With("@t", certificate.ThumbprintSha256).With("@pem", certificate.Pem)
                .With("@nb", certificate.NotBefore.ToDb()).With("@na", certificate.NotAfter.ToDb()).With("@now", now.ToDb())
                .ExecuteAsync(cancellationToken);
        }
    }

    /// <summary>The identity provider as it will be stored: checked, its certificates read again from
    /// their PEM (so a thumbprint or validity cannot disagree with the certificate) and without
    /// duplicates.</summary>
    static SamlIdentityProvider Validate(SamlIdentityProvider? idp)
    {
        if (idp is null) throw new RosterException("The IdP settings are missing.");
        var entityId = RequireIdentifier(idp.EntityId, "The IdP entity id");
        var ssoUrl = RequireUrl(idp.SsoUrl, "The IdP sign-on URL");
        var metadataUrl = idp.MetadataUrl is null ? null : RequireUrl(idp.MetadataUrl, "The IdP metadata URL");
        if (idp.MetadataXml is { Length: > MaxMetadataLength })
            throw new RosterException($"The IdP metadata is larger than {MaxMetadataLength / 1024 / 1024} MB.");
        var certificates = (idp.Certificates ?? [])
            .Select(c => SamlIdpCertificate.FromPem(c.Pem))
            .DistinctBy(c => c.ThumbprintSha256, StringComparer.Ordinal)
            .ToList();
        if (certificates.Count == 0)
            throw new RosterException("The IdP has no signing certificate: Roster accepts only signed responses, checked against the IdP's certificate.");
        if (certificates.Count > SamlIdentityProvider.MaxCertificates)
            throw new RosterException($"An IdP signs with one certificate, or two during a rollover; {certificates.Count} were given.");
        return new SamlIdentityProvider(entityId, ssoUrl, certificates, idp.MetadataXml, metadataUrl);
    }

    static SamlServiceProvider Validate(SamlServiceProvider? sp)
    {
        if (sp is null) throw new RosterException("The service provider settings are missing.");
        var entityId = RequireIdentifier(sp.EntityId, "The SP entity id");
        var acsUrl = RequireUrl(sp.AcsUrl, "The ACS URL");
        var loginUrl = RequireUrl(sp.LoginUrl, "The login URL");
        try
        {
            // Throws unless the key is the certificate's: a mismatched pair would sign requests the
            // IdP cannot check against the certificate it was given.
            using var pair = X509Certificate2.CreateFromPem(sp.CertificatePem, sp.PrivateKeyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // The message of a key error never quotes the key.
            throw new RosterException("The SP certificate and private key are not a matching PEM pair.");
        }
        return new SamlServiceProvider(entityId, acsUrl, loginUrl, sp.CertificatePem.Trim(), sp.PrivateKeyPem.Trim());
    }

    static void Validate(SamlOptions? options)
    {
        if (options is null) throw new RosterException("The SAML options are missing.");
        if (!LinkKey.IsValid(options.MatchBy))
            throw new RosterException($"Members are matched by {string.Join(", ", LinkKey.All)}, not '{options.MatchBy}'.");
    }

    static string RequireIdentifier(string? value, string what)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0) throw new RosterException($"{what} must not be empty.");
        if (trimmed.Length > MaxEntityIdLength) throw new RosterException($"{what} must be at most {MaxEntityIdLength} characters.");
        if (trimmed.Any(char.IsControl)) throw new RosterException($"{what} must not contain control characters.");
        return trimmed;
    }

    /// <summary>An absolute https URL, or http on a loopback host (an IdP or Roster on the admin's own
    /// machine). Kept as written: SAML compares URLs exactly, with the ones published from here.</summary>
    static string RequireUrl(string? value, string what)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0) throw new RosterException($"{what} must not be empty.");
        if (trimmed.Length > MaxUrlLength) throw new RosterException($"{what} must be at most {MaxUrlLength} characters.");
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || trimmed.Any(char.IsControl)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            throw new RosterException($"{what} must be an absolute https URL (http only on localhost), not '{trimmed}'.");
        return trimmed;
    }

    /// <summary>One row of saml_configurations, read in column order.</summary>
    sealed class Row(DbDataReader r)
    {
        readonly string enterpriseId = r.GetString(0);
        readonly SamlServiceProvider sp = new(r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5));
        readonly string idpEntityId = r.GetString(6);
        readonly string ssoUrl = r.GetString(7);
        readonly string? metadataXml = r.StringOrNull(8);
        readonly string? metadataUrl = r.StringOrNull(9);
        readonly SamlOptions options = new(r.GetBoolean(10), r.GetBoolean(11), r.GetBoolean(12), r.GetBoolean(13), r.GetString(14), r.GetBoolean(15));
        readonly long revision = r.GetInt64(16);
        readonly DateTimeOffset configuredAt = r.Time(17);
        readonly DateTimeOffset updatedAt = r.Time(18);
        readonly DateTimeOffset? verifiedAt = r.TimeOrNull(19);
        readonly string? verifiedNameId = r.StringOrNull(20);

        public SamlConfiguration ToConfiguration(IReadOnlyList<SamlIdpCertificate> certificates) => new(
            enterpriseId, sp, new SamlIdentityProvider(idpEntityId, ssoUrl, certificates, metadataXml, metadataUrl), options,
            revision, configuredAt, updatedAt, verifiedAt, verifiedNameId);
    }
}

/// <summary>What a save did: the configuration before (null when SAML was not configured) and after.</summary>
public sealed record SamlConfigurationChange(SamlConfiguration? Before, SamlConfiguration After)
{
    public bool Created => Before is null;

    /// <summary>The IdP is another (entity id, SSO URL or certificates), so it must pass a test sign-in
    /// again; SCIM provisioning that is on stays on.</summary>
    public bool IdentityProviderChanged => Before is not null && !Before.IdentityProvider.IsSameIdentityAs(After.IdentityProvider);

    /// <summary>A verified configuration lost its verification with this save.</summary>
    public bool VerificationCleared => Before is { IsVerified: true } && !After.IsVerified;
}

internal static class SamlCommandExtensions
{
    public static DbCommand WithIdentityProvider(this DbCommand command, SamlIdentityProvider idp) => command
        .With("@idpid", idp.EntityId).With("@sso", idp.SsoUrl).With("@xml", idp.MetadataXml).With("@url", idp.MetadataUrl);

    public static DbCommand WithOptions(this DbCommand command, SamlOptions options) => command
        .With("@idpinit", options.AllowIdpInitiated).With("@sha1", options.AllowSha1).With("@sign", options.SignAuthnRequests)
        .With("@want", options.WantAssertionsSigned).With("@jit", options.JitProvisioning);
}
