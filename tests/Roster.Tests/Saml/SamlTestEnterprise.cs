using Roster.Directory.Enterprises;
using Roster.Directory.SignOn;
using Roster.Saml;
using Roster.Testing.Saml;

namespace Roster.Tests.Saml;

/// <summary>An enterprise of a running Roster with SAML configured for a test IdP that signs with
/// its own key, as an Okta app does; its SCIM is on (a provisioning client) unless asked otherwise.</summary>
public sealed class SamlTestEnterprise
{
    public const string IdpSsoUrl = "https://acme.okta.example/app/acme_roster_1/exk1roster0test/sso/saml";

    SamlTestEnterprise(RosterTestHost host, Enterprise enterprise, ScimClient? scim, TestIdentityProvider idp, SamlConfiguration configuration)
    {
        Host = host;
        Enterprise = enterprise;
        Scim = scim;
        Idp = idp;
        Configuration = configuration;
    }

    public RosterTestHost Host { get; }
    public Enterprise Enterprise { get; }
    public ScimClient? Scim { get; }
    public TestIdentityProvider Idp { get; }
    public SamlConfiguration Configuration { get; }
    public string Slug => Enterprise.Slug;
    public string AcsUrl => Configuration.ServiceProvider.AcsUrl;
    public string EntityId => Configuration.ServiceProvider.EntityId;

    /// <param name="idpSsoUrl">Where Roster sends the AuthnRequest: a made-up Okta address by default
    /// (tests that play the browser over HTTP never go there), or a real test IdP's (the browser tests).</param>
    public static async Task<SamlTestEnterprise> CreateAsync(RosterTestHost host, string name = "Acme", bool scimEnabled = true, SamlOptions? options = null,
        TestIdentityProvider? idp = null, string idpSsoUrl = IdpSsoUrl)
    {
        Enterprise enterprise;
        ScimClient? scim = null;
        if (scimEnabled)
        {
            scim = await host.CreateEnterpriseAsync(name);
            enterprise = scim.Enterprise;
        }
        else
        {
            enterprise = await host.Directory.Enterprises.CreateAsync(name);
        }
        idp ??= TestIdentityProvider.Okta();
        var change = await SamlSetup.ConfigureAsync(host.Directory, enterprise, new SamlSetupRequest
        {
            IdpEntityId = idp.EntityId,
            IdpSsoUrl = idpSsoUrl,
            IdpCertificatesPem = [idp.CertificatePem],
            Options = options ?? SamlOptions.Default,
            PublicBaseUrl = host.BaseAddress.ToString(),
        });
        return new SamlTestEnterprise(host, enterprise, scim, idp, change.After);
    }

    /// <summary>The IdP's answer to <paramref name="inResponseTo"/> (null: an IdP-initiated one), for
    /// <paramref name="nameId"/>, signed as Okta signs by default (Response and Assertion).</summary>
    public TestSamlResponse Respond(string? inResponseTo, string nameId, Func<SamlResponseOptions, SamlResponseOptions>? change = null)
    {
        var options = new SamlResponseOptions
        {
            AcsUrl = AcsUrl,
            Audience = EntityId,
            InResponseTo = inResponseTo,
            NameId = nameId,
            Attributes = [new TestSamlAttribute("email", [nameId]), new TestSamlAttribute("firstName", ["Ann"]), new TestSamlAttribute("lastName", ["Lee"])],
        };
        return Idp.CreateResponse(change is null ? options : change(options));
    }

    /// <summary>Provisions a member over SCIM, as Okta does when the app is assigned to a person.</summary>
    public async Task<string> ProvisionAsync(string userName)
    {
        var body = $$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}",
             "name":{"givenName":"Ann","familyName":"Lee"},"emails":[{"primary":true,"value":"{{userName}}","type":"work"}],"active":true}
            """;
        var created = (await Scim!.PostAsync("Users", body)).AssertOk(201);
        return created["id"]!.GetValue<string>();
    }

    public async Task<SignInAttempt> LastAttemptAsync()
    {
        var attempts = await Host.Directory.SignInLog.ListAsync(Enterprise, refusedOnly: false, limit: 1);
        return Assert.Single(attempts);
    }
}
