using Roster.Directory.Provisioning;
using Roster.Testing;

namespace Roster.Tests;

/// <summary>A valid token of an enterprise whose SCIM provisioning is off opens nothing: 403, with a SCIM
/// error that says who turns it on and how, and an entry in the provisioning log.</summary>
public sealed class ScimProvisioningSwitchTests
{
    const string User = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@acme.example"}""";
    const string TurnedOff = "SCIM provisioning is turned off for enterprise 'acme'. An owner or admin turns it on with " +
                             "`roster scim enable --enterprise acme` once SAML sign-in works.";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Scim_that_is_off_answers_403_with_a_scim_error_and_logs_it(string kind)
    {
        await using var host = await RosterTestHost.StartAsync(kind);
        var acme = await host.Directory.Enterprises.CreateAsync("Acme");
        var token = await host.Directory.Tokens.CreateAsync(acme, "Okta", null);
        var okta = new ScimClient(host.Client(acme, $"Bearer {token.Secret}"), acme, token.Secret);

        foreach (var response in new[] { await okta.GetAsync("Users"), await okta.PostAsync("Users", User), await okta.GetAsync("ServiceProviderConfig") })
        {
            var error = response.AssertError(403);
            Assert.Equal(TurnedOff, error["detail"]!.GetValue<string>());
            Assert.Null(error["scimType"]);
        }
        var (total, _) = await host.Directory.Members.ListAsync(acme, null, 1, 10);
        Assert.Equal(0, total);

        var failures = await host.Directory.Log.QueryAsync(acme, failedOnly: true, limit: 10);
        Assert.Equal(["discovery", "create", "list"], failures.Select(f => f.Operation));
        Assert.All(failures, f =>
        {
            Assert.Equal(403, f.HttpStatus);
            Assert.Equal(token.Token.Id, f.TokenId);
            Assert.Equal(ProvisioningEvent.Failed, f.Outcome);
            Assert.Contains("turned off", f.Reason);
        });

        // A token that is not valid is still told so first.
        using (var wrong = host.Client(acme, "Bearer rst_not-a-token"))
            (await ScimResponse.ReadAsync(await wrong.GetAsync("Users"))).AssertError(401);

        // The server knows the enterprise by now; the switch is read with every request all the same.
        await host.Directory.Enterprises.SetScimEnabledAsync(acme, true);
        (await okta.PostAsync("Users", User)).AssertOk(201);
        await host.Directory.ScimActivation.DisableAsync(acme);
        (await okta.GetAsync("Users")).AssertError(403);
        Assert.Equal(1, (await host.Directory.Members.ListAsync(acme, null, 1, 10)).Total); // off keeps the directory
    }
}
