using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Roster.Directory.Identity;
using Roster.Directory.SignOn;
using Roster.Directory;
using Roster.Saml;
using Roster.Scim.Resources;

namespace Roster.Cli;

/// <summary>The <c>roster saml</c> verbs: configure an enterprise's SAML single sign-on, show what to
/// copy into the IdP, download the SP metadata, and read the sign-in log.</summary>
internal static class SamlCommands
{
    public const string PublicUrlVariable = "ROSTER_PUBLIC_URL";

    internal static readonly OptionSpec PublicUrl = new("public-url",
        $"The address people and the IdP reach Roster at (default ${PublicUrlVariable}, else {RosterCli.DefaultUrls}).", "URL");

    public static IEnumerable<VerbSpec> Verbs =>
    [
        new("saml configure", "Configure an enterprise's SAML single sign-on from IdP metadata (or by hand); prints it as `saml show` does.",
        [
            RosterCli.EnterpriseOption,
            new OptionSpec("idp-metadata", "The IdP's SAML metadata: a file, - for standard input, or an https URL Roster fetches.", "FILE|URL"),
            new OptionSpec("idp-entity-id", "By hand: the IdP's entity ID (Okta: Identity Provider Issuer).", "ID"),
            new OptionSpec("idp-sso-url", "By hand: the IdP's single sign-on URL (HTTP-Redirect).", "URL"),
            new OptionSpec("idp-certificate", "By hand: a PEM file with the IdP's signing certificate (two during a rollover).", "FILE"),
            new OptionSpec("allow-idp-initiated", "Accept IdP-initiated sign-in (the Okta dashboard tile) directly. Off by default: see the warning it prints."),
            new OptionSpec("allow-sha1", "Accept SHA-1 signatures (broken; only for an IdP that cannot do SHA-256)."),
            new OptionSpec("unsigned-requests", "Send AuthnRequests unsigned (they are signed with the enterprise's SP key by default)."),
            new OptionSpec("require-signed-assertions", "Refuse a Response whose Assertion is not signed itself (a signed Response is enough by default)."),
            new OptionSpec("match-by", "Match the NameID to a member's userName (default), email or externalId: the enterprise's link key, also set by `roster linking set --key`; left out, it stays as it is.", "userName|email|externalId"),
            new OptionSpec("jit", "While SCIM is off, create a member at their first sign-in (just-in-time)."),
            PublicUrl,
            new OptionSpec("allow-private-metadata-url", "Let --idp-metadata fetch from a private or loopback address (an on-premises IdP)."),
            new OptionSpec("metadata-ca", "A PEM file with a CA certificate to trust for fetching --idp-metadata (an internal CA).", "FILE"),
        ], [], ConfigureAsync),
        new("saml show", "Show an enterprise's SAML set-up as JSON: the values to copy into the IdP, the IdP, options and warnings.",
            [RosterCli.EnterpriseOption, PublicUrl], [], ShowAsync),
        new("saml metadata", "Print the enterprise's SP metadata XML (to upload to an IdP that reads metadata).", [RosterCli.EnterpriseOption], [], MetadataAsync),
        new("saml log", "Show sign-in attempts, newest first, with the precise reason of each refusal.",
            [RosterCli.EnterpriseOption, new OptionSpec("refused", "Only the refused attempts."),
             new OptionSpec("limit", "At most N entries (default 50).", "N"), new OptionSpec("json", "Print a JSON array instead of a table.")],
            [], LogAsync),
    ];

    static string PublicBaseUrl(Invocation invocation) => PublicBaseUrl(invocation.Get("public-url"), RosterCli.DefaultUrls);

    /// <summary>The address people reach Roster at: <paramref name="given"/> (--public-url), else
    /// $ROSTER_PUBLIC_URL, else <paramref name="fallback"/>; normalized.</summary>
    internal static string PublicBaseUrl(string? given, string fallback)
    {
        var value = given;
        if (string.IsNullOrWhiteSpace(value)) value = Environment.GetEnvironmentVariable(PublicUrlVariable);
        return SamlUrls.NormalizePublicBaseUrl(string.IsNullOrWhiteSpace(value) ? fallback : value);
    }

    static async Task<int> ConfigureAsync(Invocation invocation)
    {
        var publicBaseUrl = PublicBaseUrl(invocation);
        // --match-by sets the enterprise's link key; left out, the key stays as it is (userName at first).
        string? matchBy = null;
        if (invocation.Get("match-by") is { } given)
            matchBy = LinkKey.Canonical(given) ?? throw new UsageException($"--match-by is {string.Join(", ", LinkKey.All)}, not '{given}'.");
        var options = new SamlOptions(
            AllowIdpInitiated: invocation.Has("allow-idp-initiated"),
            AllowSha1: invocation.Has("allow-sha1"),
            SignAuthnRequests: !invocation.Has("unsigned-requests"),
            WantAssertionsSigned: invocation.Has("require-signed-assertions"),
            JitProvisioning: invocation.Has("jit"));

        var byHand = invocation.Has("idp-entity-id") || invocation.Has("idp-sso-url") || invocation.Has("idp-certificate");
        if (invocation.Has("idp-metadata") == byHand)
            throw new UsageException("Give the IdP's metadata (--idp-metadata FILE|URL), or its --idp-entity-id, --idp-sso-url and --idp-certificate: one or the other.");

        SamlSetupRequest request;
        if (invocation.Get("idp-metadata") is { } source)
        {
            var (xml, url) = await ReadMetadataAsync(invocation, source);
            request = new SamlSetupRequest { IdpMetadataXml = xml, IdpMetadataUrl = url, Options = options, PublicBaseUrl = publicBaseUrl };
        }
        else
        {
            var certificates = invocation.Get("idp-certificate") is { } file ? SamlSetup.SplitCertificates(ReadFile(file)) : [];
            request = new SamlSetupRequest
            {
                IdpEntityId = invocation.Get("idp-entity-id"),
                IdpSsoUrl = invocation.Get("idp-sso-url"),
                IdpCertificatesPem = certificates,
                Options = options,
                PublicBaseUrl = publicBaseUrl,
            };
        }

        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        matchBy ??= (await directory.Linking.GetAsync(enterprise)).LinkKey;
        request = request with { Options = request.Options with { MatchBy = matchBy }, Actor = RosterCli.Actor };
        var change = await SamlSetup.ConfigureAsync(directory, enterprise, request);
        var scim = await directory.ScimActivation.StatusAsync(enterprise);
        var json = SamlSetup.Describe(enterprise, change.After, scim, publicBaseUrl, directory.Clock.GetUtcNow());
        json["created"] = change.Created;
        json["identityProviderChanged"] = change.IdentityProviderChanged;
        if (change.VerificationCleared)
        {
            invocation.Error.WriteLine("roster: the IdP changed, so its sign-in must be tested again" +
                                       (scim.ScimEnabled ? " (SCIM provisioning stays on)." : "."));
        }
        if (!change.Created && invocation.Has("public-url") && SamlUrls.For(publicBaseUrl, enterprise.Slug).EntityId != change.After.ServiceProvider.EntityId)
        {
            invocation.Error.WriteLine($"roster: the SP entity ID stays {change.After.ServiceProvider.EntityId}: the IdP is set up with it, so --public-url does not change it.");
        }
        foreach (var warning in json["warnings"]!.AsArray()) invocation.Error.WriteLine($"roster: warning: {warning}");
        CliJson.Print(invocation.Out, json);
        return 0;
    }

    /// <summary>The metadata from a file or, for an https URL, fetched with the guards of
    /// <see cref="IdpMetadataFetcher"/> (no private addresses unless allowed).</summary>
    static async Task<(string Xml, string? Url)> ReadMetadataAsync(Invocation invocation, string source)
    {
        if (IdpMetadataDownload.IsUrl(source))
        {
            X509Certificate2Collection? roots = null;
            if (invocation.Get("metadata-ca") is { } caFile)
            {
                roots = [];
                try
                {
                    roots.ImportFromPem(ReadFile(caFile));
                }
                catch (System.Security.Cryptography.CryptographicException e)
                {
                    throw new RosterException($"{caFile}: not a PEM certificate: {e.Message}");
                }
            }
            var options = new IdpMetadataFetchOptions
            {
                AllowPrivateAddresses = invocation.Has("allow-private-metadata-url"),
                ExtraTrustedRoots = roots,
            };
            return (await IdpMetadataDownload.FetchAsync(source, options), source);
        }
        if (invocation.Has("allow-private-metadata-url") || invocation.Has("metadata-ca"))
            throw new UsageException("--allow-private-metadata-url and --metadata-ca are for fetching --idp-metadata from an https URL.");
        // "-" is metadata pasted on standard input.
        return (source == "-" ? await Console.In.ReadToEndAsync() : ReadFile(source), null);
    }

    /// <summary>Every enterprise's IdP certificates that expire within the warning window (or have),
    /// for `roster serve` to say at start: the day sign-in would stop is not the day to learn it.</summary>
    public static async Task<List<string>> CertificateWarningsAsync(RosterDirectory directory)
    {
        var warnings = new List<string>();
        var now = directory.Clock.GetUtcNow();
        foreach (var enterprise in await directory.Enterprises.ListAsync())
        {
            if (await directory.SamlConfigurations.GetAsync(enterprise) is not { } configuration) continue;
            var certificates = configuration.IdentityProvider.Certificates.Select(c => X509Certificate2.CreateFromPem(c.Pem)).ToList();
            try
            {
                warnings.AddRange(CertificateExpiry.Warnings(certificates, now, SamlSetup.ExpiryWarningWindow).Select(w => $"{enterprise.Slug}: {w.Message}"));
            }
            finally
            {
                foreach (var certificate in certificates) certificate.Dispose();
            }
        }
        return warnings;
    }

    static string ReadFile(string file) =>
        File.Exists(file) ? File.ReadAllText(file) : throw new RosterException($"No file '{file}'.");

    static async Task<int> ShowAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var configuration = await directory.SamlConfigurations.GetAsync(enterprise);
        var scim = await directory.ScimActivation.StatusAsync(enterprise);
        CliJson.Print(invocation.Out, SamlSetup.Describe(enterprise, configuration, scim, PublicBaseUrl(invocation), directory.Clock.GetUtcNow()));
        return 0;
    }

    static async Task<int> MetadataAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var configuration = await directory.SamlConfigurations.GetAsync(enterprise)
                            ?? throw new RosterException(
                                $"SAML is not configured for '{enterprise.Slug}', so it has no SP metadata yet: `roster saml configure --enterprise {enterprise.Slug} --idp-metadata FILE|URL`. " +
                                "Until then `roster saml show` gives the entity ID and ACS URL to type into the IdP.");
        invocation.Out.WriteLine(SamlSetup.ServiceProviderMetadata(configuration));
        return 0;
    }

    static async Task<int> LogAsync(Invocation invocation)
    {
        var limit = RosterCli.ParseLimit(invocation, 50);
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var attempts = await directory.SignInLog.ListAsync(enterprise, invocation.Has("refused"), limit);
        if (invocation.Has("json"))
        {
            CliJson.Print(invocation.Out, new JsonArray(attempts.Select(a => (JsonNode?)Attempt(a)).ToArray()));
            return 0;
        }
        if (attempts.Count == 0)
        {
            invocation.Out.WriteLine("No sign-in attempts yet.");
            return 0;
        }
        foreach (var a in attempts)
        {
            invocation.Out.WriteLine(string.Join("  ", ResourceWriter.FormatTime(a.OccurredAt), a.Outcome.PadRight(9), (a.NameId ?? "-").PadRight(28),
                a.Outcome == SignInOutcome.Refused ? $"{a.Reason}: {a.Detail}" : a.IdpInitiated ? "IdP-initiated" : "SP-initiated"));
        }
        return 0;
    }

    public static JsonObject Attempt(SignInAttempt a) => new()
    {
        ["id"] = a.Id,
        ["time"] = CliJson.Time(a.OccurredAt),
        ["outcome"] = a.Outcome,
        ["reason"] = a.Reason,
        ["detail"] = a.Detail,
        ["nameId"] = a.NameId,
        ["memberId"] = a.MemberId,
        ["assertionId"] = a.AssertionId,
        ["idpInitiated"] = a.IdpInitiated,
        ["clientAddress"] = a.ClientAddress,
        ["userAgent"] = a.UserAgent,
        ["requestId"] = a.RequestId,
    };
}
