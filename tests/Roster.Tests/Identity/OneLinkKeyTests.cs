using System.Net;
using Roster.Directory.Identity;
using Roster.Directory.SignOn;
using Roster.Testing.Saml;
using Roster.Testing;
using Roster.Tests.Saml;

namespace Roster.Tests.Identity;

/// <summary>
/// One key ties a SAML sign-in and a SCIM user to one member: the enterprise's link key (userName,
/// email or externalId) is what a sign-in's NameID is compared with and what a create from the IdP is
/// adopted by, set from either side (<c>roster linking set --key</c>, <c>roster saml configure
/// --match-by</c>, either console page) and shown the same on both.
/// </summary>
public sealed class OneLinkKeyTests
{
    const string Jane = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jdoe","externalId":"00u1AbC","active":true,
         "name":{"givenName":"Jane","familyName":"Doe"},"emails":[{"primary":true,"type":"work","value":"jane@acme.example"}]}
        """;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_link_key_decides_which_member_a_sign_in_names(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host);
        var janeId = (await acme.Scim!.PostAsync("Users", Jane)).AssertOk(201)["id"]!.GetValue<string>();

        // userName, the default: the NameID is compared with userName, without regard to case.
        Assert.Equal(janeId, await SignInAsync(acme, "JDOE"));
        Assert.Null(await SignInAsync(acme, "jane@acme.example"));
        Assert.Equal(SignInRefusal.UnknownMember, (await acme.LastAttemptAsync()).Reason);
        Assert.Contains("userName 'jane@acme.example'", (await acme.LastAttemptAsync()).Detail);

        Assert.Equal(0, (await CliRunner.RunAsync(host.StoreArguments, "linking", "set", "--enterprise", acme.Slug, "--key", "email")).ExitCode);
        Assert.Equal(LinkKey.Email, await MatchByAsync(host, acme.Slug));
        Assert.Equal(janeId, await SignInAsync(acme, "Jane@ACME.example"));
        Assert.Null(await SignInAsync(acme, "jdoe"));

        Assert.Equal(0, (await CliRunner.RunAsync(host.StoreArguments, "linking", "set", "--enterprise", acme.Slug, "--key", "externalId")).ExitCode);
        Assert.Equal(LinkKey.ExternalId, await MatchByAsync(host, acme.Slug));
        Assert.Equal(janeId, await SignInAsync(acme, "00u1AbC"));
        // externalId is compared exactly (RFC 7643: caseExact), as the IdP's ids are.
        Assert.Null(await SignInAsync(acme, "00u1abc"));
        Assert.Contains("externalId '00u1abc'", (await acme.LastAttemptAsync()).Detail);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Saml_configure_match_by_sets_the_link_key_and_leaving_it_out_keeps_it(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var okta = await host.CreateEnterpriseAsync("Acme");
        var metadata = SamlSamples.PathOf("okta-idp-metadata.xml");
        string[] configure = ["saml", "configure", "--enterprise", okta.Enterprise.Slug, "--idp-metadata", metadata];

        var byExternalId = await CliRunner.RunAsync(host.StoreArguments, [.. configure, "--match-by", "externalid"]);
        Assert.Equal(0, byExternalId.ExitCode);
        Assert.Equal(LinkKey.ExternalId, byExternalId.Json["matchBy"]!.GetValue<string>());
        Assert.Equal(LinkKey.ExternalId, (await host.Directory.Linking.GetAsync(okta.Enterprise)).LinkKey);
        var audit = await host.Directory.Audit.ListAsync(okta.Enterprise, limit: 5);
        Assert.Contains(audit, entry => entry.Action == Roster.Directory.Audit.AdminAction.LinkingChanged && entry.Summary.Contains("externalId"));

        var again = await CliRunner.RunAsync(host.StoreArguments, configure);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(LinkKey.ExternalId, (await host.Directory.Linking.GetAsync(okta.Enterprise)).LinkKey);

        var refused = await CliRunner.RunAsync(host.StoreArguments, [.. configure, "--match-by", "mail"]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("userName, email, externalId", refused.Error);
        Assert.Equal(LinkKey.ExternalId, await MatchByAsync(host, okta.Enterprise.Slug));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task A_person_signed_in_just_in_time_by_their_IdP_id_and_then_provisioned_is_one_member(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await SamlTestEnterprise.CreateAsync(host, scimEnabled: true,
            options: SamlOptions.Default with { MatchBy = LinkKey.ExternalId, JitProvisioning = true });
        await host.Directory.Enterprises.SetScimEnabledAsync(acme.Enterprise, false);
        await host.Directory.Domains.AddAsync(acme.Enterprise, "acme.example", actor: null);
        await host.Directory.Linking.SetAsync(acme.Enterprise, null, adoptExisting: true, actor: null);

        // Before SCIM: Okta's NameID is its user id; the member is created from the sign-in.
        var jitId = await SignInAsync(acme, "00u1AbC", email: "jane@acme.example");
        Assert.NotNull(jitId);
        var jit = await host.Directory.Members.GetAsync(acme.Enterprise, jitId!);
        Assert.Equal("jane@acme.example", jit!.UserName);
        Assert.Equal("00u1AbC", jit.Resource["externalId"]!.GetValue<string>());

        // SCIM turned on; Okta provisions the same person, with its id as externalId: adopted.
        await host.Directory.Enterprises.SetScimEnabledAsync(acme.Enterprise, true);
        var created = (await acme.Scim!.PostAsync("Users", Jane)).AssertOk(201);
        Assert.Equal(jitId, created["id"]!.GetValue<string>());
        Assert.Equal("jdoe", created["userName"]!.GetValue<string>());

        // And the next sign-in, SCIM on, is that one member.
        Assert.Equal(jitId, await SignInAsync(acme, "00u1AbC", email: "jane@acme.example"));
    }

    /// <summary>Signs in through the enterprise's IdP as <paramref name="nameId"/>: the member id of the
    /// session, or null when Roster refused.</summary>
    static async Task<string?> SignInAsync(SamlTestEnterprise enterprise, string nameId, string? email = null)
    {
        using var browser = new SamlBrowser(enterprise.Host.BaseAddress);
        var started = await browser.StartAsync(enterprise.Slug);
        var response = enterprise.Respond(started.RequestId, nameId,
            email is null ? null : options => options with { Attributes = [new("email", [email])] });
        using var answered = await browser.PostResponseAsync(enterprise.Slug, response.FormValue, started.RelayState);
        if (answered.StatusCode == HttpStatusCode.Forbidden) return null;
        Assert.Equal(HttpStatusCode.SeeOther, answered.StatusCode);
        return (await enterprise.LastAttemptAsync()).MemberId;
    }

    static async Task<string> MatchByAsync(RosterTestHost host, string slug)
    {
        var shown = await CliRunner.RunAsync(host.StoreArguments, "saml", "show", "--enterprise", slug);
        Assert.Equal(0, shown.ExitCode);
        return shown.Json["matchBy"]!.GetValue<string>();
    }
}
