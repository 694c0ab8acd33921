using System.Net;
using Roster.Directory.Audit;
using Roster.Directory.Identity;
using Roster.Directory.Members;
using Roster.Testing;
using Roster.Tests.AdminConsole;

namespace Roster.Tests.Identity;

/// <summary>
/// One identity across SAML and SCIM: someone who signed in by SAML just-in-time before SCIM was on,
/// then provisioned by the IdP, becomes one member when the enterprise allows adoption and their
/// address is in its domains; otherwise the create is a 409 saying exactly why, and the conflict waits
/// for an admin to adopt or keep apart. By userName, by email, and over both databases.
/// </summary>
public sealed class AdoptionTests
{
    static string User(string userName, string email, string externalId = "00u1") => $$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","externalId":"{{externalId}}","active":true,
         "name":{"givenName":"Jane","familyName":"Doe"},"emails":[{"primary":true,"type":"work","value":"{{email}}"}]}
        """;

    /// <summary>An enterprise with SCIM on, whose member <paramref name="userName"/> signed in by SAML
    /// just-in-time while SCIM was still off.</summary>
    static async Task<(ScimClient Okta, string JitId)> WithJitMemberAsync(RosterTestHost host, string userName, string email)
    {
        var okta = await host.CreateEnterpriseAsync("Acme");
        await host.Directory.Enterprises.SetScimEnabledAsync(okta.Enterprise, false);
        var (member, created) = await host.Directory.Members.CreateFromSignInAsync(okta.Enterprise, userName, email, "Jane", "Doe");
        Assert.True(created);
        await host.Directory.Enterprises.SetScimEnabledAsync(okta.Enterprise, true);
        return (okta, member.Id);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_JIT_member_provisioned_by_SCIM_is_adopted_as_one_member_when_allowed_and_in_the_domains(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var (okta, jitId) = await WithJitMemberAsync(host, "jane@acme.example", "jane@acme.example");
        await host.Directory.Domains.AddAsync(okta.Enterprise, "acme.example", actor: null);
        await host.Directory.Linking.SetAsync(okta.Enterprise, null, adoptExisting: true, actor: null);

        var created = await okta.PostAsync("Users", User("Jane@Acme.example", "jane@acme.example"));

        Assert.Equal(201, created.Status);
        Assert.Equal(jitId, created.Json["id"]!.GetValue<string>());
        Assert.Equal("00u1", created.Json["externalId"]!.GetValue<string>());
        var listed = await okta.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"jane@acme.example\""));
        Assert.Equal(1, listed.Json["totalResults"]!.GetValue<int>());
        var history = await host.Directory.Log.QueryAsync(okta.Enterprise, failedOnly: false, limit: 10, targetId: jitId);
        Assert.Equal(["adopted (was saml-jit)", "provisioned"], history.Select(e => e.Effect));
        Assert.Empty(await host.Directory.Linking.ListConflictsAsync(okta.Enterprise));
        // Linked now: a second create of the same person is the ordinary 409 of an existing SCIM member.
        (await okta.PostAsync("Users", User("jane@acme.example", "jane@acme.example"))).AssertError(409, "uniqueness");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Without_adoption_or_outside_the_domains_the_create_is_refused_with_why_and_the_conflict_is_listed(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var (okta, jitId) = await WithJitMemberAsync(host, "jane@acme.example", "jane@acme.example");

        var refused = (await okta.PostAsync("Users", User("jane@acme.example", "jane@acme.example"))).AssertError(409, "uniqueness");
        Assert.Equal("jane@acme.example matches jane@acme.example, a member created by a SAML just-in-time sign-in before SCIM and not linked to it; " +
                     "this enterprise does not adopt existing members. An admin of the enterprise can adopt this one in Roster's console (Identity), or allow adoption.",
            refused["detail"]!.GetValue<string>());
        await okta.PostAsync("Users", User("jane@acme.example", "jane@acme.example")); // Okta retries

        await host.Directory.Linking.SetAsync(okta.Enterprise, null, adoptExisting: true, actor: null);
        var noDomains = (await okta.PostAsync("Users", User("jane@acme.example", "jane@acme.example"))).AssertError(409, "uniqueness");
        Assert.EndsWith("this enterprise adopts existing members only with an address in its email domains, and it lists none: an admin adds them in Roster's console (Identity).",
            noDomains["detail"]!.GetValue<string>());
        await host.Directory.Domains.AddAsync(okta.Enterprise, "globex.example", actor: null);
        // (Flagged rather than refused by the domain rule, so that the create reaches the adoption's own check.)
        await host.Directory.Domains.SetOutsideDomainsAsync(okta.Enterprise, OutsideDomains.Flag, actor: null);
        var outside = (await okta.PostAsync("Users", User("jane@acme.example", "jane@acme.example"))).AssertError(409, "uniqueness");
        Assert.EndsWith("this enterprise adopts existing members only with an address in its email domains (globex.example), and acme.example is not one of them. " +
                        "An admin of the enterprise can adopt this one in Roster's console (Identity).", outside["detail"]!.GetValue<string>());

        var conflict = Assert.Single(await host.Directory.Linking.ListConflictsAsync(okta.Enterprise));
        Assert.Equal(jitId, conflict.MemberId);
        Assert.Equal(MemberDirectory.SourceSamlJit, conflict.MemberSource);
        Assert.Equal(4, conflict.Attempts);
        Assert.Equal(outside["detail"]!.GetValue<string>(), conflict.Reason);
        var entry = (await host.Directory.Log.QueryAsync(okta.Enterprise, failedOnly: true, limit: 1)).Single();
        Assert.Equal(jitId, entry.TargetId);
        Assert.Equal(409, entry.HttpStatus);
        // Nothing was written to the member.
        Assert.Null((await host.Directory.Members.GetAsync(okta.Enterprise, jitId)).Resource["externalId"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task With_email_as_the_link_key_a_member_with_another_userName_is_adopted_by_their_email(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var (okta, jitId) = await WithJitMemberAsync(host, "jdoe", "jane@acme.example");
        await host.Directory.Domains.AddAsync(okta.Enterprise, "acme.example", actor: null);
        await host.Directory.Linking.SetAsync(okta.Enterprise, LinkKey.Email, adoptExisting: true, actor: null);

        var created = await okta.PostAsync("Users", User("jane.doe@acme.example", "Jane@acme.example"));

        Assert.Equal(201, created.Status);
        Assert.Equal(jitId, created.Json["id"]!.GetValue<string>());
        Assert.Equal("jane.doe@acme.example", created.Json["userName"]!.GetValue<string>());
        Assert.Equal(0, (await okta.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"jdoe\""))).Json["totalResults"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task An_admin_adopts_or_keeps_apart_from_the_console_and_the_command_line_audited(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var (okta, jitId) = await WithJitMemberAsync(host, "jane@acme.example", "jane@acme.example");
        (await okta.PostAsync("Users", User("jane@acme.example", "jane@acme.example"))).AssertError(409, "uniqueness");
        using var owner = await ConsoleBrowser.SignedInOwnerAsync(host, okta.Enterprise, "olga@acme.example");

        var page = await owner.GetAsync("/console/acme/identity");
        Assert.Contains($"data-member-id=\"{jitId}\"", await page.Content.ReadAsStringAsync());
        using (var adopted = await owner.SubmitAsync("/console/acme/identity", [new("MemberId", jitId)], "/console/acme/identity?handler=Adopt"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, adopted.StatusCode);
            Assert.Equal("/console/acme/identity?saved=adopted", adopted.Headers.Location!.OriginalString);
        }
        Assert.Empty(await host.Directory.Linking.ListConflictsAsync(okta.Enterprise));
        var resolved = Assert.Single(await host.Directory.Linking.ListConflictsAsync(okta.Enterprise, openOnly: false));
        Assert.Equal(LinkingConflict.Adopted, resolved.Resolution);
        Assert.Equal("owner account olga@acme.example", resolved.ResolvedBy);
        // Adopted: the IdP finds the member by its lookup and updates it, as Okta does after a conflict.
        var found = await okta.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"jane@acme.example\""));
        Assert.Equal(jitId, found.Json["Resources"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(200, (await okta.PutAsync($"Users/{jitId}", User("jane@acme.example", "jane@acme.example"))).Status);
        Assert.Equal(AdminAction.MemberAdopted, (await host.Directory.Audit.ListAsync(okta.Enterprise, 1)).Single().Action);

        // Another JIT member, kept apart from the command line: the IdP's creates stay refused, saying so, and open no new conflict.
        await host.Directory.Enterprises.SetScimEnabledAsync(okta.Enterprise, false);
        var (bob, _) = await host.Directory.Members.CreateFromSignInAsync(okta.Enterprise, "bob@acme.example", "bob@acme.example", "Bob", "Lee");
        await host.Directory.Enterprises.SetScimEnabledAsync(okta.Enterprise, true);
        (await okta.PostAsync("Users", User("bob@acme.example", "bob@acme.example", "00u2"))).AssertError(409, "uniqueness");
        var listed = await CliRunner.RunAsync(host.StoreArguments, "conflict", "list", "--enterprise", "acme");
        Assert.Equal(bob.Id, Assert.Single(listed.Json.AsArray())!["memberId"]!.GetValue<string>());
        var kept = await CliRunner.RunAsync(host.StoreArguments, "conflict", "keep-apart", "--enterprise", "acme", bob.Id);
        Assert.True(kept.ExitCode == 0, kept.Error);
        Assert.Equal("kept-apart", kept.Json["resolution"]!.GetValue<string>());
        var again = (await okta.PostAsync("Users", User("bob@acme.example", "bob@acme.example", "00u2"))).AssertError(409, "uniqueness");
        Assert.EndsWith("and an admin of the enterprise chose to keep them apart: provision this person with another userName.", again["detail"]!.GetValue<string>());
        Assert.Empty(await host.Directory.Linking.ListConflictsAsync(okta.Enterprise));
        var none = await CliRunner.RunAsync(host.StoreArguments, "conflict", "adopt", "--enterprise", "acme", bob.Id);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains($"Enterprise 'acme' has no open linking conflict for member '{bob.Id}'.", none.Error);

        var shown = await CliRunner.RunAsync(host.StoreArguments, "linking", "set", "--enterprise", "acme", "--key", "EMAIL", "--adopt", "on");
        Assert.Equal("email", shown.Json["linkKey"]!.GetValue<string>());
        Assert.True(shown.Json["adoptExisting"]!.GetValue<bool>());
        var bad = await CliRunner.RunAsync(host.StoreArguments, "linking", "set", "--enterprise", "acme", "--key", "phone");
        Assert.Contains("'phone' is not a link key: give userName, email, externalId.", bad.Error);
        Assert.Equal([AdminAction.LinkingChanged, AdminAction.MemberKeptApart, AdminAction.MemberAdopted],
            (await host.Directory.Audit.ListAsync(okta.Enterprise, 3)).Select(e => e.Action));
    }
}
