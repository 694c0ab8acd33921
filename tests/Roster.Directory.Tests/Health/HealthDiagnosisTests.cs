using Roster.Directory.Enterprises;
using Roster.Directory.Health;
using Roster.Directory.Tokens;

namespace Roster.Directory.Tests.Health;

/// <summary>Each usual mistake, from facts made by hand, gives its finding in words; a healthy
/// connection gives no problem.</summary>
public sealed class HealthDiagnosisTests
{
    // A Sunday: "Monday 2026-11-23" is six days before.
    static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    static readonly Enterprise Acme = new("e1", "acme", "Acme", Now.AddDays(-100));

    static ScimToken Token(string id = "t1", string name = "Okta", DateTimeOffset? expires = null, DateTimeOffset? lastUsed = null,
        DateTimeOffset? revoked = null) =>
        new(id, Acme.Id, name, "abcd", Now.AddDays(-60), expires, lastUsed ?? Now.AddMinutes(-5), revoked);

    static HealthFacts Facts(IReadOnlyList<RequestKind>? kinds = null, IReadOnlyList<ScimToken>? tokens = null, bool scimEnabled = true,
        SamlHealth? saml = null, string? lastClient = "Okta SCIM Client 1.0.0") =>
        new(Acme, Now, scimEnabled, kinds is { Count: > 0 } ? ["Okta"] : [], lastClient, kinds is { Count: > 0 } ? Now.AddMinutes(-5) : Now.AddDays(-3),
            kinds ?? [], tokens ?? [Token()], saml);

    static RequestKind Kind(int status, string kind, long count = 3, string? tokenId = null, string? scimType = null) =>
        new(status, scimType, kind, kind != RequestKinds.Succeeded, count, Now.AddMinutes(-5), tokenId);

    static HealthFinding Only(HealthFacts facts, string code)
    {
        var findings = HealthDiagnosis.Diagnose(facts);
        return Assert.Single(findings, f => f.Code == code);
    }

    [Fact]
    public void Requests_that_all_succeed_are_ok_and_name_the_IdP()
    {
        var findings = HealthDiagnosis.Diagnose(Facts([Kind(200, RequestKinds.Succeeded, 12)]));
        var ok = Assert.Single(findings);
        Assert.Equal((HealthFinding.Ok, "requests.ok"), (ok.Severity, ok.Code));
        Assert.Equal("Okta is calling: 12 requests in the last 24 hours, 0 failed.", ok.Text);
    }

    [Fact]
    public void A_revoked_token_still_sent_is_a_problem_that_names_the_token_and_the_day_it_was_revoked()
    {
        var revoked = Token(revoked: new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.Zero));
        var finding = Only(Facts([Kind(401, RequestKinds.RevokedToken, 4, "t1")], [revoked, Token("t2", "Okta 2")]), "token.revoked-in-use");
        Assert.Equal(HealthFinding.Problem, finding.Severity);
        Assert.Equal("4 requests in the last 24 hours got 401 because Okta still sends a token that was revoked on Monday 2026-11-23 (token 'Okta'): " +
                     "create a new token and paste it into Okta.", finding.Text);
    }

    [Fact]
    public void An_expired_token_still_sent_is_a_problem_with_the_day_it_expired()
    {
        var expired = Token(expires: new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));
        var finding = Only(Facts([Kind(401, RequestKinds.ExpiredToken, 1, "t1")], [expired]), "token.expired-in-use");
        Assert.Equal(HealthFinding.Problem, finding.Severity);
        Assert.Contains("1 request in the last 24 hours got 401 because Okta still sends a token that expired on Friday 2026-11-27 (token 'Okta')", finding.Text);
    }

    [Fact]
    public void A_token_of_another_enterprise_or_none_is_a_problem()
    {
        var finding = Only(Facts([Kind(401, RequestKinds.UnknownToken)]), "token.unknown");
        Assert.Equal(HealthFinding.Problem, finding.Severity);
        Assert.Contains("not one of this enterprise's", finding.Text);
    }

    [Fact]
    public void No_bearer_token_is_a_problem_that_says_how_to_send_one()
    {
        var finding = Only(Facts([Kind(401, RequestKinds.NoToken)]), "token.missing");
        Assert.Contains("sent no bearer token", finding.Text);
    }

    [Fact]
    public void This_enterprises_token_sent_to_another_enterprises_URL_is_a_problem_that_names_the_right_path()
    {
        var finding = Only(Facts([Kind(401, RequestKinds.TokenAtOtherUrl, 2, "t1")]), "url.other-enterprise");
        Assert.Equal(HealthFinding.Problem, finding.Severity);
        Assert.Contains("arrived at another enterprise's SCIM URL with this enterprise's token (token 'Okta')", finding.Text);
        Assert.Contains("/scim/v2/acme", finding.Text);
    }

    [Fact]
    public void SCIM_off_while_the_IdP_calls_is_a_problem_about_the_403s()
    {
        var finding = Only(Facts([Kind(403, RequestKinds.ScimOff, 5, "t1")], scimEnabled: false), "scim.off-but-called");
        Assert.Equal(HealthFinding.Problem, finding.Severity);
        Assert.StartsWith("SCIM is off but Okta is calling: 5 requests in the last 24 hours got 403.", finding.Text);
        Assert.DoesNotContain(HealthDiagnosis.Diagnose(Facts([Kind(403, RequestKinds.ScimOff, 5, "t1")], scimEnabled: false)), f => f.Code == "requests.ok");
    }

    [Fact]
    public void SCIM_off_and_quiet_is_ok()
    {
        var finding = Only(Facts(scimEnabled: false), "scim.off");
        Assert.Equal(HealthFinding.Ok, finding.Severity);
    }

    [Fact]
    public void No_request_in_a_day_though_a_token_exists_is_a_warning_that_says_when_the_last_came()
    {
        var finding = Only(Facts(), "requests.none");
        Assert.Equal(HealthFinding.Warning, finding.Severity);
        Assert.StartsWith("No request in the last 24 hours though a token exists (the last came 2026-11-26 12:00 UTC)", finding.Text);
    }

    [Fact]
    public void Reads_only_in_the_last_day_are_ok_not_silence()
    {
        var facts = Facts() with { LastRequestAt = Now.AddHours(-2) };
        var finding = Assert.Single(HealthDiagnosis.Diagnose(facts));
        Assert.Equal((HealthFinding.Ok, "requests.reads-only"), (finding.Severity, finding.Code));
        Assert.StartsWith("The IdP last called at 2026-11-29 10:00 UTC, reading only", finding.Text);
    }

    [Fact]
    public void No_request_but_no_token_either_warns_about_the_token_not_the_silence()
    {
        var findings = HealthDiagnosis.Diagnose(Facts(tokens: [Token(revoked: Now.AddDays(-1))]));
        Assert.Contains(findings, f => f.Code == "token.none");
        Assert.DoesNotContain(findings, f => f.Code == "requests.none");
    }

    [Fact]
    public void A_token_that_expires_within_14_days_is_a_warning_and_one_in_15_days_is_not()
    {
        var soon = Only(Facts([Kind(200, RequestKinds.Succeeded)], [Token(expires: Now.AddDays(14))]), "token.expiring");
        Assert.Equal("The token 'Okta' expires in 14 days, on Sunday 2026-12-13: create a new one and paste it into the IdP before then.", soon.Text);
        Assert.DoesNotContain(HealthDiagnosis.Diagnose(Facts([Kind(200, RequestKinds.Succeeded)], [Token(expires: Now.AddDays(15))])),
            f => f.Code == "token.expiring");
    }

    [Fact]
    public void A_token_never_used_or_idle_for_30_days_is_a_warning()
    {
        var never = new ScimToken("t3", Acme.Id, "Spare", "wxyz", Now.AddDays(-2), null, null, null);
        var idle = Token("t4", "Old", lastUsed: Now.AddDays(-31));
        var findings = HealthDiagnosis.Diagnose(Facts([Kind(200, RequestKinds.Succeeded)], [Token(), never, idle]))
            .Where(f => f.Code == "token.unused").Select(f => f.Text).ToList();
        Assert.Equal(2, findings.Count);
        Assert.Contains(findings, t => t.StartsWith("The token 'Spare' (created Friday 2026-11-27) has never been used", StringComparison.Ordinal));
        Assert.Contains(findings, t => t.StartsWith("The token 'Old' was last used Thursday 2026-10-29, 31 days ago", StringComparison.Ordinal));
    }

    [Fact]
    public void The_IdPs_SAML_certificate_expiring_within_30_days_is_a_warning_and_an_expired_one_a_problem()
    {
        var expiring = Only(Facts([Kind(200, RequestKinds.Succeeded)],
            saml: new SamlHealth(true, [new SamlCertificateExpiry(SamlCertificateExpiry.IdentityProvider, "ab", Now.AddDays(9))])), "saml.idp-certificate.expiring");
        Assert.Equal(HealthFinding.Warning, expiring.Severity);
        Assert.StartsWith("The IdP's SAML certificate expires in 9 days, on Tuesday 2026-12-08", expiring.Text);

        var expired = Only(Facts([Kind(200, RequestKinds.Succeeded)],
            saml: new SamlHealth(true, [new SamlCertificateExpiry(SamlCertificateExpiry.ServiceProvider, "cd", Now.AddDays(-1))])), "saml.sp-certificate.expired");
        Assert.Equal(HealthFinding.Problem, expired.Severity);
    }

    [Fact]
    public void Other_failures_are_a_warning_by_kind_and_problems_come_first()
    {
        var findings = HealthDiagnosis.Diagnose(Facts([Kind(409, "uniqueness", 2, scimType: "uniqueness"), Kind(403, RequestKinds.ScimOff, 1)], scimEnabled: false));
        Assert.Equal("scim.off-but-called", findings[0].Code);
        var failing = Assert.Single(findings, f => f.Code == "requests.failing");
        Assert.StartsWith("2 requests in the last 24 hours failed with 409 uniqueness", failing.Text);
    }

    [Theory]
    [InlineData(false, 200, null, null, RequestKinds.Succeeded)]
    [InlineData(true, 403, null, "SCIM provisioning is turned off for this enterprise", RequestKinds.ScimOff)]
    [InlineData(true, 401, null, "the bearer token 'Okta' (t1) was revoked", RequestKinds.RevokedToken)]
    [InlineData(true, 401, null, "the bearer token 'Okta' (t1) expired", RequestKinds.ExpiredToken)]
    [InlineData(true, 401, null, "the bearer token is not a token of this enterprise", RequestKinds.UnknownToken)]
    [InlineData(true, 401, null, "no Authorization header was sent", RequestKinds.NoToken)]
    [InlineData(true, 401, null, "the Authorization header is not a bearer token", RequestKinds.NotBearer)]
    [InlineData(true, 401, null, "the bearer token 'Okta' (t1) " + RequestKinds.PresentedElsewhereReason, RequestKinds.TokenAtOtherUrl)]
    [InlineData(true, 409, "uniqueness", "ann exists", "uniqueness")]
    [InlineData(true, 404, null, "no such member", RequestKinds.Failed)]
    public void The_kind_of_a_logged_request_comes_from_its_status_and_recorded_reason(bool failed, int status, string? scimType, string? reason, string kind) =>
        Assert.Equal(kind, RequestKinds.Of(failed, status, scimType, reason));
}
