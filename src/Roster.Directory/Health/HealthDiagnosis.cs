using System.Globalization;
using Roster.Directory.Tokens;

namespace Roster.Directory.Health;

/// <summary>
/// The usual mistakes of a SCIM connection, recognised in <see cref="HealthFacts"/> and said in words
/// an admin acts on. Pure: the same facts give the same findings, worst first.
/// </summary>
public static class HealthDiagnosis
{
    public static readonly TimeSpan TokenExpirySoon = TimeSpan.FromDays(14);
    public static readonly TimeSpan TokenUnusedFor = TimeSpan.FromDays(30);
    public static readonly TimeSpan CertificateExpirySoon = TimeSpan.FromDays(30);

    public static IReadOnlyList<HealthFinding> Diagnose(HealthFacts facts)
    {
        var findings = new List<HealthFinding>();
        var idp = facts.IdentityProvider;
        var failures = facts.ByKind.Where(k => k.Failed).ToList();

        foreach (var kind in failures)
        {
            var token = kind.TokenId is null ? null : facts.Tokens.FirstOrDefault(t => t.Id == kind.TokenId);
            var finding = kind.Kind switch
            {
                RequestKinds.RevokedToken => new HealthFinding(HealthFinding.Problem, "token.revoked-in-use",
                    $"{Requests(kind.Count)} in the last 24 hours got 401 because {idp} still sends a token that was revoked" +
                    (token?.RevokedAt is { } revoked ? $" on {Day(revoked)}" : "") + $"{Named(token)}: create a new token and paste it into {idp}."),
                RequestKinds.ExpiredToken => new HealthFinding(HealthFinding.Problem, "token.expired-in-use",
                    $"{Requests(kind.Count)} in the last 24 hours got 401 because {idp} still sends a token that expired" +
                    (token?.ExpiresAt is { } expired ? $" on {Day(expired)}" : "") + $"{Named(token)}: create a new token and paste it into {idp}."),
                RequestKinds.UnknownToken => new HealthFinding(HealthFinding.Problem, "token.unknown",
                    $"{Requests(kind.Count)} in the last 24 hours got 401 with a token that is not one of this enterprise's (mistyped, deleted, " +
                    $"or another enterprise's): copy a token of this enterprise into {idp}."),
                RequestKinds.NoToken or RequestKinds.NotBearer => new HealthFinding(HealthFinding.Problem, "token.missing",
                    $"{Requests(kind.Count)} in the last 24 hours got 401 because {idp} sent no bearer token: set its authentication to " +
                    "\"HTTP Header\" (or Bearer) with a token of this enterprise."),
                RequestKinds.TokenAtOtherUrl => new HealthFinding(HealthFinding.Problem, "url.other-enterprise",
                    $"{Requests(kind.Count)} in the last 24 hours arrived at another enterprise's SCIM URL with this enterprise's token{Named(token)}: " +
                    $"set the SCIM base URL in {idp} to this enterprise's, {facts.Enterprise.ScimPath} on Roster's address."),
                RequestKinds.OutsideDomains => new HealthFinding(HealthFinding.Problem, "domains.outside",
                    $"{Requests(kind.Count)} in the last 24 hours were refused because {idp} sends an address outside your email domains " +
                    $"(the last at {Time(kind.LastAt)}): if those people belong to you, add their domain on the Identity page; otherwise map " +
                    $"userName and email in {idp} to addresses in your domains. The provisioning log names each address."),
                RequestKinds.ScimOff => new HealthFinding(HealthFinding.Problem, "scim.off-but-called",
                    $"SCIM is off but {idp} is calling: {Requests(kind.Count).ToLowerInvariant()} in the last 24 hours got 403. " +
                    "Turn SCIM on on the SCIM page (once SAML sign-in works), or turn provisioning off in the IdP."),
                _ => new HealthFinding(HealthFinding.Warning, "requests.failing",
                    $"{Requests(kind.Count)} in the last 24 hours failed with {kind.Label}, the last at {Time(kind.LastAt)}: " +
                    "the provisioning log says why, request by request."),
            };
            findings.Add(finding);
        }

        var active = facts.Tokens.Where(t => t.Status(facts.Now) == "active").ToList();
        if (facts.ScimEnabled && active.Count == 0)
        {
            findings.Add(new HealthFinding(HealthFinding.Warning, "token.none",
                "SCIM is on but the enterprise has no active token: create one and paste it into the IdP."));
        }
        if (facts.ScimEnabled && active.Count > 0 && facts.Requests == 0 && (facts.LastRequestAt is not { } lastSeen || facts.Now - lastSeen >= HealthFacts.Window))
        {
            findings.Add(new HealthFinding(HealthFinding.Warning, "requests.none",
                $"No request in the last 24 hours though a token exists{(facts.LastRequestAt is { } last ? $" (the last came {Time(last)})" : " (none ever came)")}: " +
                $"check that provisioning is on in the IdP and that its SCIM base URL ends in {facts.Enterprise.ScimPath}."));
        }
        foreach (var token in active)
        {
            if (token.ExpiresAt is { } expires && expires - facts.Now <= TokenExpirySoon)
            {
                findings.Add(new HealthFinding(HealthFinding.Warning, "token.expiring",
                    $"The token '{token.Name}' expires in {Days(expires - facts.Now)}, on {Day(expires)}: create a new one and paste it into the IdP before then."));
            }
            if (token.LastUsedAt is null)
            {
                findings.Add(new HealthFinding(HealthFinding.Warning, "token.unused",
                    $"The token '{token.Name}' (created {Day(token.CreatedAt)}) has never been used: revoke it if no IdP needs it."));
            }
            else if (facts.Now - token.LastUsedAt.Value >= TokenUnusedFor)
            {
                findings.Add(new HealthFinding(HealthFinding.Warning, "token.unused",
                    $"The token '{token.Name}' was last used {Day(token.LastUsedAt.Value)}, {Days(facts.Now - token.LastUsedAt.Value)} ago: revoke it if no IdP needs it."));
            }
        }

        foreach (var certificate in facts.Saml?.Certificates ?? [])
        {
            var whose = certificate.Owner == SamlCertificateExpiry.IdentityProvider ? "The IdP's SAML certificate" : "Roster's own SAML certificate (the SP's)";
            var left = certificate.NotAfter - facts.Now;
            var code = certificate.Owner == SamlCertificateExpiry.IdentityProvider ? "saml.idp-certificate" : "saml.sp-certificate";
            if (left <= TimeSpan.Zero)
            {
                findings.Add(new HealthFinding(HealthFinding.Problem, code + ".expired",
                    $"{whose} expired on {Day(certificate.NotAfter)}: sign-in fails until a current one is configured on the SAML page."));
            }
            else if (left <= CertificateExpirySoon)
            {
                findings.Add(new HealthFinding(HealthFinding.Warning, code + ".expiring",
                    $"{whose} expires in {Days(left)}, on {Day(certificate.NotAfter)}: add its successor on the SAML page before then."));
            }
        }

        if (!findings.Any(f => f.Severity == HealthFinding.Problem) && facts.Requests > 0)
        {
            findings.Add(new HealthFinding(HealthFinding.Ok, "requests.ok",
                $"{idp} is calling: {Requests(facts.Requests).ToLowerInvariant()} in the last 24 hours, {facts.Failures.ToString(CultureInfo.InvariantCulture)} failed."));
        }
        else if (!findings.Any(f => f.Severity == HealthFinding.Problem) && facts.ScimEnabled
                 && facts.LastRequestAt is { } lastRead && facts.Now - lastRead < HealthFacts.Window)
        {
            findings.Add(new HealthFinding(HealthFinding.Ok, "requests.reads-only",
                $"The IdP last called at {Time(lastRead)}, reading only: no change and no failure in the last 24 hours."));
        }
        if (!facts.ScimEnabled && !failures.Any(k => k.Kind == RequestKinds.ScimOff))
        {
            findings.Add(new HealthFinding(HealthFinding.Ok, "scim.off", "SCIM is off, and no IdP is calling."));
        }
        return findings.OrderBy(f => f.Rank).ToList();
    }

    static string Named(ScimToken? token) => token is null ? "" : $" (token '{token.Name}')";

    static string Requests(long count) => count == 1 ? "1 request" : $"{count.ToString(CultureInfo.InvariantCulture)} requests";

    static string Days(TimeSpan span)
    {
        var days = (int)Math.Ceiling(span.TotalDays);
        return days == 1 ? "1 day" : $"{days.ToString(CultureInfo.InvariantCulture)} days";
    }

    /// <summary>A day as an admin says it: "Monday 2026-11-23".</summary>
    public static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("dddd yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
