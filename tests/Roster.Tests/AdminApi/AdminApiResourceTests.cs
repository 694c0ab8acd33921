using System.Text.Json.Nodes;
using Roster.Directory.Api;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Testing;
using Roster.Testing.Saml;
using Roster.Tests.Saml;

namespace Roster.Tests.AdminApi;

/// <summary>Each resource group of the admin API over real HTTP: its main read, and its change, which
/// the audit log records as the key's.</summary>
public sealed class AdminApiResourceTests
{
    static async Task<(IssuedAdminApiKey Key, AdminApiClient Api)> KeyAsync(RosterTestHost host, Enterprise enterprise)
    {
        var issued = await host.Directory.ApiKeys.CreateAsync(enterprise, "ci", null, actor: null);
        return (issued, AdminApiClient.For(host, enterprise, issued.Key));
    }

    static string ActorOf(IssuedAdminApiKey key) => $"API key ci ({key.ApiKey.Id})";

    static string User(string userName, bool active = true) => $$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","name":{"givenName":"Ann","familyName":"Lee"},
         "emails":[{"primary":true,"value":"{{userName}}","type":"work"}],"active":{{(active ? "true" : "false")}}}
        """;

    static string[] Strings(JsonNode? array, string field) => array!.AsArray().Select(n => n![field]!.GetValue<string>()).ToArray();

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Members_groups_and_role_mappings_read_as_the_console_shows_them_and_a_mapping_changes_a_role(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var scim = await host.CreateEnterpriseAsync("Acme");
        var (key, api) = await KeyAsync(host, scim.Enterprise);
        using var _ = api;
        var ann = (await scim.PostAsync("Users", User("ann@acme.example"))).AssertOk(201)["id"]!.GetValue<string>();
        (await scim.PostAsync("Users", User("bob@acme.example", active: false))).AssertOk(201);
        var admins = (await scim.PostAsync("Groups", $$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Admins","members":[{"value":"{{ann}}"}]}
            """)).AssertOk(201)["id"]!.GetValue<string>();

        var enterprise = (await api.GetAsync()).AssertOk();
        Assert.Equal(1, enterprise["members"]!["active"]!.GetValue<long>());
        Assert.Equal(1, enterprise["members"]!["deactivated"]!.GetValue<long>());
        Assert.Equal(1, enterprise["seatsUsed"]!.GetValue<long>());
        Assert.True(enterprise["scimEnabled"]!.GetValue<bool>());
        Assert.False(enterprise["saml"]!["configured"]!.GetValue<bool>());
        Assert.EndsWith("Z", enterprise["createdAt"]!.GetValue<string>());

        Assert.Equal(["ann@acme.example", "bob@acme.example"], Strings((await api.GetAsync("/members")).AssertOk()["members"], "userName"));
        Assert.Equal(["ann@acme.example"], Strings((await api.GetAsync("/members?status=active")).AssertOk()["members"], "userName"));
        Assert.Equal(["bob@acme.example"], Strings((await api.GetAsync("/members?q=BO")).AssertOk()["members"], "userName"));
        Assert.Equal(["ann@acme.example"], Strings((await api.GetAsync($"/members?group={admins}")).AssertOk()["members"], "userName"));
        var first = (await api.GetAsync("/members?limit=1")).AssertOk();
        Assert.Equal(["ann@acme.example"], Strings(first["members"], "userName"));
        Assert.Equal(2, first["matches"]!.GetValue<long>());
        var cursor = first["nextCursor"]!.GetValue<string>();
        var second = (await api.GetAsync($"/members?limit=1&cursor={Uri.EscapeDataString(cursor)}")).AssertOk();
        Assert.Equal(["bob@acme.example"], Strings(second["members"], "userName"));
        Assert.Null(second["nextCursor"]);

        var groups = (await api.GetAsync("/groups")).AssertOk()["groups"]!.AsArray();
        var group = Assert.Single(groups)!;
        Assert.Equal(("Admins", 1L), (group["displayName"]!.GetValue<string>(), group["memberCount"]!.GetValue<long>()));
        Assert.Null(group["role"]);

        var mapped = (await api.PostAsync("/role-mappings", """{"group": "admins", "role": "admin"}""")).AssertOk();
        Assert.Equal((admins, "Admins", "admin"), (mapped["groupId"]!.GetValue<string>(), mapped["group"]!.GetValue<string>(), mapped["role"]!.GetValue<string>()));
        Assert.Equal(["ann@acme.example"], Strings((await api.GetAsync("/members?role=admin")).AssertOk()["members"], "userName"));
        var detail = (await api.GetAsync($"/groups/{admins}")).AssertOk();
        Assert.Equal("admin", detail["group"]!["role"]!.GetValue<string>());
        Assert.Equal(["ann@acme.example"], Strings(detail["members"]!["members"], "userName"));

        var member = (await api.GetAsync($"/members/{ann}")).AssertOk();
        Assert.Equal("admin", member["member"]!["role"]!.GetValue<string>());
        Assert.Equal(["Admins"], Strings(member["groups"], "displayName"));
        Assert.Equal("ann@acme.example", member["resource"]!["userName"]!.GetValue<string>());
        Assert.Contains("create", Strings(member["history"], "operation"));
        (await api.GetAsync("/members/no-such-member")).AssertProblem(404);
        (await api.GetAsync("/groups/no-such-group")).AssertProblem(404);

        var unmapped = (await api.DeleteAsync($"/role-mappings/{admins}")).AssertOk();
        Assert.Equal("admin", unmapped["role"]!.GetValue<string>());
        Assert.Empty((await api.GetAsync("/role-mappings")).AssertOk().AsArray());
        Assert.Equal("member", (await api.GetAsync($"/members/{ann}")).AssertOk()["member"]!["role"]!.GetValue<string>());

        var audit = await host.Directory.Audit.ListAsync(scim.Enterprise, 10);
        Assert.Equal([(AdminAction.RoleUnmapped, ActorOf(key)), (AdminAction.RoleMapped, ActorOf(key))], audit.Select(e => (e.Action, e.Actor)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task SAML_is_configured_SCIM_turned_on_only_once_SAML_is_tested_and_tokens_created_shown_once_and_revoked(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        var (key, api) = await KeyAsync(host, acme);
        using var _ = api;

        var before = (await api.GetAsync("/saml")).AssertOk();
        Assert.False(before["configured"]!.GetValue<bool>());
        Assert.EndsWith("/saml/acme/acs", before["acsUrl"]!.GetValue<string>());

        var refused = await api.PutAsync("/saml", """{"metadataXml": "<not-metadata/>"}""");
        Assert.Contains("The IdP metadata cannot be used", refused.AssertProblem(400));
        var idp = TestIdentityProvider.Okta();
        var configured = (await api.PutAsync("/saml", new JsonObject
        {
            ["idpEntityId"] = idp.EntityId, ["idpSsoUrl"] = SamlTestEnterprise.IdpSsoUrl, ["idpCertificatesPem"] = idp.CertificatePem,
        }.ToJsonString())).AssertOk();
        Assert.True(configured["configured"]!.GetValue<bool>());
        Assert.False(configured["verified"]!.GetValue<bool>());
        Assert.Equal(idp.EntityId, configured["idp"]!["entityId"]!.GetValue<string>());

        var untested = await api.PutAsync("/scim", """{"enabled": true}""");
        Assert.Contains("no test sign-in has succeeded with its current IdP settings", untested.AssertProblem(409));
        Assert.False((await host.Directory.ScimActivation.StatusAsync(acme)).ScimEnabled);
        var configuration = (await host.Directory.SamlConfigurations.GetAsync(acme))!;
        Assert.True(await host.Directory.SamlConfigurations.MarkVerifiedAsync(acme, configuration, "ann@acme.example"));
        var on = (await api.PutAsync("/scim", """{"enabled": true}""")).AssertOk();
        Assert.True(on["enabled"]!.GetValue<bool>());
        Assert.True((await api.GetAsync("/scim")).AssertOk()["samlVerified"]!.GetValue<bool>());

        var created = await api.PostAsync("/scim/tokens", """{"name": "Okta", "expiresInDays": 30}""");
        var token = created.AssertOk(201);
        var secret = token["token"]!.GetValue<string>();
        var tokenId = token["id"]!.GetValue<string>();
        Assert.StartsWith("rst_", secret);
        Assert.EndsWith($"/scim/tokens/{tokenId}", created.Headers.Location!.OriginalString);
        using (var client = host.Client(acme, $"Bearer {secret}"))
        using (var users = await client.GetAsync("Users"))
            Assert.Equal(200, (int)users.StatusCode);
        var listed = await api.GetAsync("/scim/tokens");
        Assert.Equal(["Okta"], Strings(listed.AssertOk(), "name"));
        Assert.DoesNotContain(secret, listed.Body);

        Assert.Equal("revoked", (await api.DeleteAsync($"/scim/tokens/{tokenId}")).AssertOk()["status"]!.GetValue<string>());
        using (var client = host.Client(acme, $"Bearer {secret}"))
        using (var users = await client.GetAsync("Users"))
            Assert.Equal(401, (int)users.StatusCode);
        (await api.DeleteAsync("/scim/tokens/no-such-token")).AssertProblem(404);
        Assert.False((await api.PutAsync("/scim", """{"enabled": false}""")).AssertOk()["enabled"]!.GetValue<bool>());

        var audit = await host.Directory.Audit.ListAsync(acme, 10);
        Assert.Equal(
            [AdminAction.ScimDisabled, AdminAction.ScimTokenRevoked, AdminAction.ScimTokenCreated, AdminAction.ScimEnabled, AdminAction.SamlConfigured],
            audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(ActorOf(key), e.Actor));
        Assert.All(audit, e => Assert.DoesNotContain(secret, e.Summary));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task The_provisioning_log_filters_and_pages_and_the_policy_domains_and_linking_rule_change_as_the_key(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var scim = await host.CreateEnterpriseAsync("Acme");
        var (key, api) = await KeyAsync(host, scim.Enterprise);
        using var _ = api;
        var ann = (await scim.PostAsync("Users", User("ann@acme.example"))).AssertOk(201)["id"]!.GetValue<string>();
        (await scim.PostAsync("Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}""")).AssertError(400);
        (await scim.PatchAsync($"Users/{ann}", """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Ann L."}]}
            """)).AssertOk();

        var all = (await api.GetAsync("/provisioning-log")).AssertOk()["entries"]!.AsArray();
        Assert.Equal(3, all.Count);
        var failed = Assert.Single((await api.GetAsync("/provisioning-log?outcome=failed")).AssertOk()["entries"]!.AsArray())!;
        Assert.Equal(("failed", 400), (failed["outcome"]!.GetValue<string>(), failed["status"]!.GetValue<int>()));
        Assert.Equal(["create", "create"], Strings((await api.GetAsync("/provisioning-log?operation=create")).AssertOk()["entries"], "operation"));
        Assert.All((await api.GetAsync("/provisioning-log?member=ann@acme.example")).AssertOk()["entries"]!.AsArray(),
            e => Assert.Equal(ann, e!["targetId"]!.GetValue<string>()));
        Assert.Empty((await api.GetAsync("/provisioning-log?from=2999-01-01T00:00:00Z")).AssertOk()["entries"]!.AsArray());
        Assert.Equal(3, (await api.GetAsync("/provisioning-log?from=2000-01-01T00:00:00%2B02:00&to=2999-01-01")).AssertOk()["entries"]!.AsArray().Count);
        var page = (await api.GetAsync("/provisioning-log?limit=2")).AssertOk();
        Assert.Equal(2, page["entries"]!.AsArray().Count);
        var older = (await api.GetAsync($"/provisioning-log?limit=2&before={page["nextBefore"]!.GetValue<long>()}")).AssertOk();
        Assert.Equal(all[2]!["id"]!.GetValue<long>(), Assert.Single(older["entries"]!.AsArray())!["id"]!.GetValue<long>());
        Assert.Null(older["nextBefore"]);

        Assert.Equal("suspend", (await api.GetAsync("/deprovisioning-policy")).AssertOk()["onDeactivate"]!.GetValue<string>());
        var policy = (await api.PutAsync("/deprovisioning-policy", """{"onDeactivate": "remove", "graceDays": 30}""")).AssertOk();
        Assert.Equal(("remove", "remove", 30), (policy["onDeactivate"]!.GetValue<string>(), policy["onDelete"]!.GetValue<string>(), policy["graceDays"]!.GetValue<int>()));
        Assert.Equal(30, (await host.Directory.DeprovisioningPolicies.GetAsync(scim.Enterprise)).GraceDays);

        var domains = (await api.PutAsync("/domains", """{"domains": ["acme.example", "@Acme.ORG"], "outsideDomains": "flag"}""")).AssertOk();
        Assert.Equal(["acme.example", "acme.org"], Strings(domains["domains"], "domain").Order());
        Assert.Equal("flag", domains["outsideDomains"]!.GetValue<string>());
        var narrowed = (await api.PutAsync("/domains", """{"domains": ["acme.org"]}""")).AssertOk();
        Assert.Equal(["acme.org"], Strings(narrowed["domains"], "domain"));
        Assert.Equal(["acme.org"], Strings((await api.GetAsync("/domains")).AssertOk()["domains"], "domain"));

        var linking = (await api.PutAsync("/linking", """{"linkKey": "email", "adoptExisting": true}""")).AssertOk();
        Assert.Equal(("email", true), (linking["linkKey"]!.GetValue<string>(), linking["adoptExisting"]!.GetValue<bool>()));
        Assert.Equal("email", (await api.GetAsync("/linking")).AssertOk()["linkKey"]!.GetValue<string>());

        var audit = await host.Directory.Audit.ListAsync(scim.Enterprise, 20);
        Assert.Equal(
            [AdminAction.LinkingChanged, AdminAction.DomainRemoved, AdminAction.DomainRuleChanged, AdminAction.DomainAdded, AdminAction.DomainAdded,
             AdminAction.DeprovisioningPolicyChanged],
            audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(ActorOf(key), e.Actor));
    }
}
