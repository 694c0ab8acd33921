using System.Text.Json.Nodes;
using Roster.Directory.Health;

namespace Roster.Cli;

/// <summary>The <c>roster health</c> verb: an enterprise's SCIM connection at a glance, with the
/// diagnosis of what is wrong in words.</summary>
internal static class HealthCommands
{
    public static IEnumerable<VerbSpec> Verbs =>
    [
        new("health", "Show an enterprise's connection health as JSON: which IdP calls, when it last did, the last 24 hours' requests " +
                      "and failures by kind, its tokens, its SAML certificates' expiry, and findings (severity, code, text), worst first.",
            [RosterCli.EnterpriseOption], [], HealthAsync),
    ];

    static async Task<int> HealthAsync(Invocation invocation)
    {
        var (directory, enterprise) = await RosterCli.OpenEnterpriseAsync(invocation);
        var report = await new ConnectionHealth(directory).ReportAsync(enterprise);
        CliJson.Print(invocation.Out, Report(report));
        return 0;
    }

    public static JsonObject Report(HealthReport report)
    {
        var facts = report.Facts;
        return new JsonObject
        {
            ["enterprise"] = facts.Enterprise.Slug,
            ["scimEnabled"] = facts.ScimEnabled,
            ["idp"] = facts.IdentityProviders.Count > 0 ? facts.IdentityProviders[0]
                : facts.LastClient is null ? null : Directory.Provisioning.IdentityProviderName.FromUserAgent(facts.LastClient),
            ["idps"] = new JsonArray(facts.IdentityProviders.Select(name => (JsonNode?)name).ToArray()),
            ["lastRequestAt"] = CliJson.Time(facts.LastRequestAt),
            ["last24h"] = new JsonObject
            {
                ["requests"] = facts.Requests,
                ["failures"] = facts.Failures,
                ["byKind"] = new JsonArray(facts.ByKind.Select(kind => (JsonNode?)new JsonObject
                {
                    ["status"] = kind.Status,
                    ["scimType"] = kind.ScimType,
                    ["kind"] = kind.Kind,
                    ["failed"] = kind.Failed,
                    ["count"] = kind.Count,
                    ["lastAt"] = CliJson.Time(kind.LastAt),
                    ["tokenId"] = kind.TokenId,
                }).ToArray()),
            },
            ["tokens"] = new JsonArray(facts.Tokens.Select(token => (JsonNode?)CliJson.Token(token, facts.Enterprise, facts.Now)).ToArray()),
            ["saml"] = facts.Saml is not { } saml
                ? new JsonObject { ["configured"] = false }
                : new JsonObject
                {
                    ["configured"] = true,
                    ["verified"] = saml.Verified,
                    ["certificates"] = new JsonArray(saml.Certificates.Select(c => (JsonNode?)new JsonObject
                    {
                        ["owner"] = c.Owner,
                        ["thumbprintSha256"] = c.ThumbprintSha256,
                        ["notAfter"] = CliJson.Time(c.NotAfter),
                        ["daysLeft"] = (int)Math.Floor((c.NotAfter - facts.Now).TotalDays),
                    }).ToArray()),
                },
            ["findings"] = new JsonArray(report.Findings.Select(f => (JsonNode?)new JsonObject
            {
                ["severity"] = f.Severity,
                ["code"] = f.Code,
                ["text"] = f.Text,
            }).ToArray()),
        };
    }
}
