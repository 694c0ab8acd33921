using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Roster.Directory.Enterprises;
using Roster.Directory.Provisioning;
using Roster.Directory.Storage;

namespace Roster.Directory.Health;

/// <summary>
/// Reads an enterprise's connection health from what the store keeps (the provisioning log, its SCIM
/// tokens, its SAML configuration and SCIM switch) and diagnoses it. Every query is of this
/// enterprise only, along the (enterprise_id, occurred_at) and (enterprise_id, id DESC) indexes of
/// the log, so the cost is the last day's distinct kinds of request, not the log's size.
/// </summary>
public sealed class ConnectionHealth(RosterDirectory directory)
{
    /// <summary>The User-Agent of Roster's own self-test: its traffic is in the log, recognisably, and
    /// is not taken for the IdP's.</summary>
    public const string SelfTestUserAgent = "Roster self-test";

    /// <summary>The name of the temporary token a self-test runs with.</summary>
    public const string SelfTestTokenName = "Roster self-test";

    public async Task<HealthReport> ReportAsync(Enterprise enterprise, CancellationToken cancellationToken = default)
    {
        var facts = await FactsAsync(enterprise, cancellationToken);
        return new HealthReport(facts, HealthDiagnosis.Diagnose(facts));
    }

    public async Task<HealthFacts> FactsAsync(Enterprise enterprise, CancellationToken cancellationToken = default)
    {
        var now = directory.Clock.GetUtcNow();
        var status = await directory.ScimActivation.StatusAsync(enterprise, cancellationToken);
        var tokens = await directory.Tokens.ListAsync(enterprise, cancellationToken);
        var saml = await directory.SamlConfigurations.GetAsync(enterprise, cancellationToken);
        var groups = await GroupsSinceAsync(enterprise, now - HealthFacts.Window, cancellationToken);
        var last = await LastRequestAsync(enterprise, cancellationToken);

        var identityProviders = groups.GroupBy(g => IdentityProviderName.FromUserAgent(g.Client))
            .OrderByDescending(g => g.Sum(r => r.Count)).Select(g => g.Key).ToList();
        var byKind = groups
            .GroupBy(g => (g.Failed, g.Status, g.ScimType, Kind: RequestKinds.Of(g.Failed, g.Status, g.ScimType, g.Reason), g.TokenId))
            .Select(g => new RequestKind(g.Key.Status, g.Key.ScimType, g.Key.Kind, g.Key.Failed, g.Sum(r => r.Count), g.Max(r => r.LastAt), g.Key.TokenId))
            .OrderByDescending(k => k.Count).ThenBy(k => k.Status).ToList();

        SamlHealth? samlHealth = null;
        if (saml is not null)
        {
            var certificates = saml.IdentityProvider.Certificates
                .Select(c => new SamlCertificateExpiry(SamlCertificateExpiry.IdentityProvider, c.ThumbprintSha256, c.NotAfter)).ToList();
            if (ServiceProviderExpiry(saml.ServiceProvider.CertificatePem) is { } sp) certificates.Add(sp);
            samlHealth = new SamlHealth(saml.IsVerified, certificates);
        }
        // The log keeps changes and failures, not successful reads; a token's last use counts reads too,
        // so an IdP that only reads is still seen calling. The self-test's own tokens do not count.
        var lastUse = tokens.Where(t => t.Name != SelfTestTokenName).Max(t => t.LastUsedAt);
        var lastRequestAt = last?.At is { } logged && (lastUse is null || logged >= lastUse) ? logged : lastUse;
        return new HealthFacts(enterprise, now, status.ScimEnabled, identityProviders, last?.Client, lastRequestAt, byKind, tokens, samlHealth);
    }

    sealed record LogGroup(bool Failed, int Status, string? ScimType, string? TokenId, string? Client, string? Reason, long Count, DateTimeOffset LastAt);

    /// <summary>The window's requests counted by outcome, status, error type, token and client; the
    /// reason only of refused authentications, whose reasons are few fixed sentences, and of the domain
    /// rule's refusals, as their fixed ending (other reasons name members and would make a group of
    /// every request).</summary>
    Task<List<LogGroup>> GroupsSinceAsync(Enterprise enterprise, DateTimeOffset since, CancellationToken cancellationToken)
    {
        // The domain rule's refusals are one kind however many addresses they name: the reason is
        // grouped as its fixed ending (a constant of Roster's, not input).
        const string authReason = "CASE WHEN http_status = 401 THEN reason " +
                                  "WHEN http_status = 400 AND reason LIKE '%" + Identity.EnterpriseDomains.RefusedReason + "' THEN '" +
                                  Identity.EnterpriseDomains.RefusedReason + "' ELSE NULL END";
        return directory.Database.ReadAsync(c => c.Command(
                $"SELECT outcome, http_status, scim_type, token_id, client, {authReason}, count(*), max(occurred_at) FROM provisioning_events " +
                "WHERE enterprise_id = @e AND occurred_at >= @since AND (client IS NULL OR client <> @self) " +
                $"GROUP BY outcome, http_status, scim_type, token_id, client, {authReason}")
            .With("@e", enterprise.Id).With("@since", since.ToDb()).With("@self", SelfTestUserAgent)
            .ListAsync(r => new LogGroup(r.GetString(0) == ProvisioningEvent.Failed, r.GetInt32(1), r.StringOrNull(2), r.StringOrNull(3),
                r.StringOrNull(4), r.StringOrNull(5), r.GetInt64(6), r.Time(7)), cancellationToken), cancellationToken);
    }

    /// <summary>The newest request that was not a self-test: read backwards along (enterprise_id, id DESC).</summary>
    Task<(string? Client, DateTimeOffset At)?> LastRequestAsync(Enterprise enterprise, CancellationToken cancellationToken) =>
        directory.Database.ReadAsync(async c =>
        {
            var rows = await c.Command(
                    "SELECT client, occurred_at FROM provisioning_events WHERE enterprise_id = @e AND (client IS NULL OR client <> @self) " +
                    "ORDER BY id DESC LIMIT 1")
                .With("@e", enterprise.Id).With("@self", SelfTestUserAgent)
                .ListAsync(r => (r.StringOrNull(0), r.Time(1)), cancellationToken);
            return rows.Count == 0 ? ((string?, DateTimeOffset)?)null : rows[0];
        }, cancellationToken);

    static SamlCertificateExpiry? ServiceProviderExpiry(string pem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return new SamlCertificateExpiry(SamlCertificateExpiry.ServiceProvider,
                Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        }
        catch (CryptographicException)
        {
            return null; // a stored SP certificate that does not read is SAML's to report, not health's
        }
    }
}
