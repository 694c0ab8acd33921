using System.Text.Json.Nodes;
using Roster.Testing.Saml;
using Roster.Testing;

namespace Roster.Tests.Saml;

/// <summary>`roster saml configure | show | metadata | log`: the JSON operators script against, and
/// the rule that SCIM waits for a working SAML sign-in.</summary>
public sealed class SamlCliTests
{
    static string Sample(string name) => SamlSamples.PathOf(name);

    [Fact]
    public async Task Show_gives_the_values_to_copy_into_Okta_before_and_after_configuring_from_Okta_metadata()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        string[] store = ["--data", database.DataDirectory!];
        Assert.Equal(0, (await CliRunner.RunAsync(store, "enterprise", "create", "--name", "Acme")).ExitCode);

        var before = await CliRunner.RunAsync(store, "saml", "show", "--enterprise", "acme", "--public-url", "https://roster.example.com/");
        Assert.Equal(0, before.ExitCode);
        Assert.False(before.Json["configured"]!.GetValue<bool>());
        Assert.Equal("https://roster.example.com/saml/acme", before.Json["entityId"]!.GetValue<string>());
        Assert.Equal("https://roster.example.com/saml/acme/acs", before.Json["acsUrl"]!.GetValue<string>());
        Assert.Equal("https://roster.example.com/saml/acme/metadata", before.Json["metadataUrl"]!.GetValue<string>());
        Assert.Equal("https://roster.example.com/saml/acme/login", before.Json["loginUrl"]!.GetValue<string>());

        var configured = await CliRunner.RunAsync(store, "saml", "configure", "--enterprise", "acme",
            "--idp-metadata", Sample("okta-idp-metadata.xml"), "--public-url", "https://roster.example.com");
        Assert.True(configured.ExitCode == 0, configured.Error);
        var json = configured.Json;
        Assert.True(json["configured"]!.GetValue<bool>());
        Assert.False(json["verified"]!.GetValue<bool>());
        Assert.StartsWith("http://www.okta.com/exk", json["idp"]!["entityId"]!.GetValue<string>());
        Assert.StartsWith("https://", json["idp"]!["ssoUrl"]!.GetValue<string>());
        Assert.Single(json["idp"]!["certificates"]!.AsArray());
        Assert.False(json["allowIdpInitiated"]!.GetValue<bool>());
        Assert.True(json["signAuthnRequests"]!.GetValue<bool>());
        Assert.Contains(json["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("test=1"));
        Assert.DoesNotContain("PRIVATE KEY", configured.Out);

        // The SP values stay what the IdP was set up with, whatever public URL is given later.
        var shown = await CliRunner.RunAsync(store, "saml", "show", "--enterprise", "acme", "--public-url", "https://elsewhere.example");
        Assert.Equal("https://roster.example.com/saml/acme/acs", shown.Json["acsUrl"]!.GetValue<string>());

        var metadata = await CliRunner.RunAsync(store, "saml", "metadata", "--enterprise", "acme");
        Assert.Contains("entityID=\"https://roster.example.com/saml/acme\"", metadata.Out);

        var scim = await CliRunner.RunAsync(store, "scim", "enable", "--enterprise", "acme");
        Assert.Equal(1, scim.ExitCode);
        Assert.Contains("https://roster.example.com/saml/acme/login?test=1", scim.Error);
    }

    [Fact]
    public async Task Entra_metadata_with_two_certificates_configures_a_rollover()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        string[] store = ["--data", database.DataDirectory!];
        await CliRunner.RunAsync(store, "enterprise", "create", "--name", "Contoso");

        var configured = await CliRunner.RunAsync(store, "saml", "configure", "--enterprise", "contoso", "--idp-metadata", Sample("entra-idp-metadata.xml"));

        Assert.True(configured.ExitCode == 0, configured.Error);
        Assert.StartsWith("https://sts.windows.net/", configured.Json["idp"]!["entityId"]!.GetValue<string>());
        Assert.Equal(2, configured.Json["idp"]!["certificates"]!.AsArray().Count);
    }

    [Fact]
    public async Task Configuring_by_hand_and_switching_IdP_initiated_sign_in_on_states_the_risk()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        string[] store = ["--data", database.DataDirectory!];
        await CliRunner.RunAsync(store, "enterprise", "create", "--name", "Acme");
        var idp = TestIdentityProvider.Okta();
        var certificateFile = Path.Combine(database.DataDirectory!, "okta.pem");
        await File.WriteAllTextAsync(certificateFile, idp.CertificatePem);

        var configured = await CliRunner.RunAsync(store, "saml", "configure", "--enterprise", "acme", "--idp-entity-id", idp.EntityId,
            "--idp-sso-url", "https://acme.okta.example/app/sso/saml", "--idp-certificate", certificateFile, "--allow-idp-initiated", "--unsigned-requests");

        Assert.True(configured.ExitCode == 0, configured.Error);
        Assert.True(configured.Json["allowIdpInitiated"]!.GetValue<bool>());
        Assert.False(configured.Json["signAuthnRequests"]!.GetValue<bool>());
        Assert.Contains("login CSRF", configured.Error);
        Assert.Contains(configured.Json["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("login CSRF"));
        Assert.DoesNotContain("PRIVATE", configured.Json["idp"]!.ToJsonString());
    }

    [Fact]
    public async Task Mistakes_are_one_line_each()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        string[] store = ["--data", database.DataDirectory!];
        await CliRunner.RunAsync(store, "enterprise", "create", "--name", "Acme");
        var notMetadata = Path.Combine(database.DataDirectory!, "not-metadata.xml");
        await File.WriteAllTextAsync(notMetadata, "<html><body>Okta sign-in</body></html>");

        Assert.Equal(2, (await CliRunner.RunAsync(store, "saml", "configure", "--enterprise", "acme")).ExitCode);
        var wrong = await CliRunner.RunAsync(store, "saml", "configure", "--enterprise", "acme", "--idp-metadata", notMetadata);
        Assert.Equal(1, wrong.ExitCode);
        Assert.StartsWith("roster: The IdP metadata cannot be used:", wrong.Error);
        Assert.Single(wrong.Error.TrimEnd().Split('\n'));
        var http = await CliRunner.RunAsync(store, "saml", "configure", "--enterprise", "acme", "--idp-metadata", "http://idp.example/metadata");
        Assert.Equal(1, http.ExitCode);
        Assert.Contains("https", http.Error);
        var metadata = await CliRunner.RunAsync(store, "saml", "metadata", "--enterprise", "acme");
        Assert.Equal(1, metadata.ExitCode);
        Assert.Contains("not configured", metadata.Error);
    }

    [Fact]
    public async Task An_IdP_certificate_Roster_cannot_verify_with_is_refused_when_configured()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        string[] store = ["--data", database.DataDirectory!];
        await CliRunner.RunAsync(store, "enterprise", "create", "--name", "Acme");
        using var ecdsa = TestCertificates.CreateEcdsa("ECDSA IdP");
        using var small = TestCertificates.CreateSelfSigned("Small IdP", rsaKeyBits: 1024);
        foreach (var (certificate, expected) in new[] { (ecdsa, "RSA signatures"), (small, "1024-bit") })
        {
            var file = Path.Combine(database.DataDirectory!, "idp.pem");
            await File.WriteAllTextAsync(file, certificate.ExportCertificatePem());
            var refused = await CliRunner.RunAsync(store, "saml", "configure", "--enterprise", "acme", "--idp-entity-id", "http://www.okta.com/exk1",
                "--idp-sso-url", "https://acme.okta.example/sso", "--idp-certificate", file);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains(expected, refused.Error);
        }
        var shown = await CliRunner.RunAsync(store, "saml", "show", "--enterprise", "acme");
        Assert.False(shown.Json["configured"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Show_warns_before_an_IdP_signing_certificate_expires()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        string[] store = ["--data", database.DataDirectory!];
        await CliRunner.RunAsync(store, "enterprise", "create", "--name", "Acme");
        using var current = TestCertificates.CreateSelfSigned("Okta current", notAfter: DateTimeOffset.UtcNow.AddDays(10));
        using var next = TestCertificates.CreateSelfSigned("Okta next", notAfter: DateTimeOffset.UtcNow.AddYears(10));
        var file = Path.Combine(database.DataDirectory!, "rollover.pem");
        await File.WriteAllTextAsync(file, current.ExportCertificatePem() + "\n" + next.ExportCertificatePem() + "\n");

        var configured = await CliRunner.RunAsync(store, "saml", "configure", "--enterprise", "acme", "--idp-entity-id", "http://www.okta.com/exk1",
            "--idp-sso-url", "https://acme.okta.example/sso", "--idp-certificate", file);

        Assert.True(configured.ExitCode == 0, configured.Error);
        Assert.Equal(2, configured.Json["idp"]!["certificates"]!.AsArray().Count);
        var warnings = configured.Json["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        var expiry = current.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(warnings, w => w.Contains("CN=Okta current") && w.Contains($"expires on {expiry}"));
        Assert.DoesNotContain(warnings, w => w.Contains("CN=Okta next"));
    }
}
