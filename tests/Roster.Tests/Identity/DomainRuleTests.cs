using System.Net;
using Roster.Directory.Audit;
using Roster.Directory.Identity;
using Roster.Testing;
using Roster.Tests.AdminConsole;

namespace Roster.Tests.Identity;

/// <summary>An enterprise's email domains over real SCIM requests: addresses outside them are refused
/// (400 invalidValue, nothing written, the reason in the log) or flagged in the log, as the enterprise
/// chose; subdomains count; members accepted before are not blocked from being changed or deprovisioned.</summary>
public sealed class DomainRuleTests
{
    static string User(string userName, string? email = null) => $$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","active":true,
         "emails":[{"primary":true,"type":"work","value":"{{email ?? userName}}"}]}
        """;

    const string Deactivate = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}""";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Addresses_outside_the_domains_are_refused_and_nothing_is_written(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var before = (await okta.PostAsync("Users", User("early@gmail.com"))).Json["id"]!.GetValue<string>(); // before any domain was listed
        await host.Directory.Domains.AddAsync(okta.Enterprise, "acme.example", actor: null);

        var refused = (await okta.PostAsync("Users", User("jane@gmail.com"))).AssertError(400, "invalidValue");
        Assert.Equal("jane@gmail.com is outside this enterprise's email domains (acme.example), and members outside them are refused. " +
                     "Send an address in one of them, or ask an admin of the enterprise to add the domain.", refused["detail"]!.GetValue<string>());
        Assert.Equal(0, (await okta.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"jane@gmail.com\""))).Json["totalResults"]!.GetValue<int>());
        var entry = (await host.Directory.Log.QueryAsync(okta.Enterprise, failedOnly: true, limit: 1)).Single();
        Assert.Equal("jane@gmail.com is outside the enterprise's email domains (acme.example): refused by the domain rule", entry.Reason);
        Assert.Equal("jane@gmail.com", entry.TargetName);
        Assert.Null(entry.TargetId);

        // A userName in the domain with a primary email outside it is outside too.
        (await okta.PostAsync("Users", User("ann@acme.example", "ann@gmail.com"))).AssertError(400, "invalidValue");
        Assert.Equal(201, (await okta.PostAsync("Users", User("ann@acme.example"))).Status);
        Assert.Equal(201, (await okta.PostAsync("Users", User("bob@eu.acme.example"))).Status);
        Assert.Equal(201, (await okta.PostAsync("Users", User("emp-1234", "carl@acme.example"))).Status); // a userName that is no address is not checked

        // Accepted before the rule: still changed and deprovisioned; renamed outside: refused.
        Assert.Equal(200, (await okta.PatchAsync($"Users/{before}", Deactivate)).Status);
        (await okta.PutAsync($"Users/{before}", User("early@hotmail.com"))).AssertError(400, "invalidValue");
        Assert.Equal(200, (await okta.PutAsync($"Users/{before}", User("early@acme.example"))).Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Connection_health_diagnoses_an_IdP_that_sends_addresses_outside_the_domains(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        await host.Directory.Domains.AddAsync(okta.Enterprise, "acme.example", actor: null);
        Assert.Equal(201, (await okta.PostAsync("Users", User("ann@acme.example"))).Status);
        (await okta.PostAsync("Users", User("jane@gmail.com"))).AssertError(400, "invalidValue");
        (await okta.PostAsync("Users", User("joe@hotmail.com"))).AssertError(400, "invalidValue");

        var health = await CliRunner.RunAsync(host.StoreArguments, "health", "--enterprise", "acme");
        Assert.True(health.ExitCode == 0, health.Error);
        var finding = health.Json["findings"]!.AsArray().Single(f => f!["code"]!.GetValue<string>() == "domains.outside")!;
        Assert.Equal("problem", finding["severity"]!.GetValue<string>());
        Assert.StartsWith("2 requests in the last 24 hours were refused because Okta sends an address outside your email domains (the last at ",
            finding["text"]!.GetValue<string>());
        Assert.EndsWith("add their domain on the Identity page; otherwise map userName and email in Okta to addresses in your domains. " +
                        "The provisioning log names each address.", finding["text"]!.GetValue<string>());
        // One kind for both refusals, though they name different addresses; not also a generic failure.
        Assert.DoesNotContain(health.Json["findings"]!.AsArray(), f => f!["code"]!.GetValue<string>() == "requests.failing");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task With_the_flag_rule_an_outside_address_is_provisioned_and_its_entry_says_so(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        await host.Directory.Domains.AddAsync(okta.Enterprise, "acme.example", actor: null);
        await host.Directory.Domains.SetOutsideDomainsAsync(okta.Enterprise, OutsideDomains.Flag, actor: null);

        var created = await okta.PostAsync("Users", User("jane@gmail.com"));
        Assert.Equal(201, created.Status);
        var inside = await okta.PostAsync("Users", User("ann@acme.example"));
        Assert.Equal(201, inside.Status);

        var entries = await host.Directory.Log.QueryAsync(okta.Enterprise, failedOnly: false, limit: 10);
        Assert.Equal("provisioned (outside your domains: gmail.com)", entries.Single(e => e.TargetName == "jane@gmail.com").Effect);
        Assert.Equal("provisioned", entries.Single(e => e.TargetName == "ann@acme.example").Effect);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_domain_verbs_print_the_domains_refuse_mistakes_and_are_audited(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        await host.CreateEnterpriseAsync("Globex");

        var added = await CliRunner.RunAsync(host.StoreArguments, "domain", "add", "--enterprise", "acme", "@Acme.Example");
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Equal("acme", added.Json["enterprise"]!.GetValue<string>());
        Assert.Equal("acme.example", added.Json["domains"]![0]!["domain"]!.GetValue<string>());
        Assert.NotNull(added.Json["domains"]![0]!["addedAt"]);
        Assert.Equal("refuse", added.Json["outsideDomains"]!.GetValue<string>());

        foreach (var (args, message) in new (string[], string)[]
        {
            (["domain", "add", "--enterprise", "acme", "acme.example"], "acme.example is already one of 'acme''s domains."),
            (["domain", "add", "--enterprise", "acme", "localhost"], "'localhost' is not an email domain"),
            (["domain", "remove", "--enterprise", "acme", "globex.example"], "globex.example is not one of 'acme''s domains."),
            (["domain", "rule", "--enterprise", "acme", "--outside", "ignore"], "'ignore' is not a rule for addresses outside the domains: give refuse or flag."),
        })
        {
            var refused = await CliRunner.RunAsync(host.StoreArguments, args);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains(message, refused.Error);
        }

        var flagged = await CliRunner.RunAsync(host.StoreArguments, "domain", "rule", "--enterprise", "acme", "--outside", "flag");
        Assert.Equal("flag", flagged.Json["outsideDomains"]!.GetValue<string>());
        var removed = await CliRunner.RunAsync(host.StoreArguments, "domain", "remove", "--enterprise", "acme", "ACME.example");
        Assert.Empty(removed.Json["domains"]!.AsArray());
        Assert.Empty((await CliRunner.RunAsync(host.StoreArguments, "domain", "list", "--enterprise", "globex")).Json["domains"]!.AsArray());

        var audit = await host.Directory.Audit.ListAsync(okta.Enterprise, 10);
        Assert.Equal([AdminAction.DomainRemoved, AdminAction.DomainRuleChanged, AdminAction.DomainAdded], audit.Select(e => e.Action));
        Assert.Equal("Email domain acme.example removed: no domain is left, so provisioned addresses are not checked", audit[0].Summary);
    }

    [Fact]
    public async Task The_identity_page_adds_and_removes_domains_and_sets_the_rule_audited_as_the_owner()
    {
        await using var host = await RosterTestHost.StartAsync(TestDatabase.Sqlite);
        var okta = await host.CreateEnterpriseAsync("Acme");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, okta.Enterprise, "olga@acme.example");

        using (var added = await owner.SubmitAsync("/console/acme/identity", [new("Domain", "Acme.Example")], "/console/acme/identity?handler=Add"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, added.StatusCode);
            Assert.Equal("/console/acme/identity?saved=added", added.Headers.Location!.OriginalString);
        }
        using (var refused = await owner.SubmitAsync("/console/acme/identity", [new("Domain", "not a domain")], "/console/acme/identity?handler=Add"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("is not an email domain", ConsoleBrowser.TextOf(await refused.Content.ReadAsStringAsync(), "error"));
        }
        using (var rule = await owner.SubmitAsync("/console/acme/identity", [new("OutsideDomains", "flag")], "/console/acme/identity?handler=Rule"))
            Assert.Equal(HttpStatusCode.SeeOther, rule.StatusCode);

        using var page = await owner.GetAsync("/console/acme/identity");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<th scope=\"row\">acme.example</th>", html);
        Assert.Contains("value=\"flag\" checked=\"checked\"", html);
        var rules = await host.Directory.Domains.GetAsync(okta.Enterprise);
        Assert.Equal(OutsideDomains.Flag, rules.OutsideDomains);

        using (var removed = await owner.SubmitAsync("/console/acme/identity", [new("Domain", "acme.example")], "/console/acme/identity?handler=Remove"))
            Assert.Equal(HttpStatusCode.SeeOther, removed.StatusCode);
        Assert.False((await host.Directory.Domains.GetAsync(okta.Enterprise)).Applies);
        var audit = await ConsoleBrowser.AuditAfterSetUpAsync(host, okta.Enterprise, 10);
        Assert.Equal(3, audit.Count);
        Assert.All(audit, e => Assert.Equal("owner account olga@acme.example", e.Actor));
    }
}
