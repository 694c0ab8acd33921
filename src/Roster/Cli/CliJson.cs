using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Provisioning;
using Roster.Directory.Roles;
using Roster.Directory.Schemas;
using Roster.Directory.Tokens;
using Roster.Scim.Discovery;
using Roster.Scim.Resources;

namespace Roster.Cli;

/// <summary>The JSON the command line prints. Operators script against these shapes: fields are only
/// ever added, never renamed.</summary>
internal static class CliJson
{
    static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Print(TextWriter output, JsonNode node) => output.WriteLine(node.ToJsonString(Options));

    public static string? Time(DateTimeOffset? time) => time is { } t ? ResourceWriter.FormatTime(t) : null;

    public static JsonObject Enterprise(Enterprise enterprise) => new()
    {
        ["id"] = enterprise.Id,
        ["slug"] = enterprise.Slug,
        ["name"] = enterprise.Name,
        ["scimPath"] = enterprise.ScimPath,
        ["createdAt"] = Time(enterprise.CreatedAt),
    };

    public static JsonObject Summary(EnterpriseSummary summary)
    {
        var json = Enterprise(summary.Enterprise);
        json["membersActive"] = summary.MembersActive;
        json["membersDeactivated"] = summary.MembersDeactivated;
        json["seatsUsed"] = summary.SeatsUsed;
        json["lastProvisioningAt"] = Time(summary.LastProvisioningAt);
        json["scimEnabled"] = summary.ScimEnabled;
        return json;
    }

    /// <summary>An enterprise's SCIM switch and what turning it on waits for. The SCIM path, not URL:
    /// the command line does not know the host clients reach.</summary>
    public static JsonObject ScimStatus(ScimStatus status) => new()
    {
        ["enterprise"] = status.Enterprise.Slug,
        ["scimEnabled"] = status.ScimEnabled,
        ["samlConfigured"] = status.SamlConfigured,
        ["samlVerified"] = status.SamlVerified,
        ["scimPath"] = status.Enterprise.ScimPath,
    };

    public static JsonObject Token(ScimToken token, Enterprise enterprise, DateTimeOffset now) => new()
    {
        ["id"] = token.Id,
        ["enterprise"] = enterprise.Slug,
        ["name"] = token.Name,
        ["hint"] = "…" + token.Hint,
        ["status"] = token.Status(now),
        ["createdAt"] = Time(token.CreatedAt),
        ["expiresAt"] = Time(token.ExpiresAt),
        ["lastUsedAt"] = Time(token.LastUsedAt),
        ["revokedAt"] = Time(token.RevokedAt),
    };

    /// <summary>A declared schema as the enterprise's /Schemas shows it, located under its SCIM path
    /// (the command line does not know the host clients reach).</summary>
    public static JsonObject Schema(DeclaredSchema schema, Enterprise enterprise) =>
        SchemaResourceWriter.Write(schema.Definition, enterprise.ScimPath);

    public static JsonObject RoleMapping(RoleMapping mapping) => new()
    {
        ["groupId"] = mapping.GroupId,
        ["group"] = mapping.GroupDisplayName,
        ["role"] = mapping.Role,
        ["createdAt"] = Time(mapping.CreatedAt),
    };

    /// <summary>A member with its role (computed from its groups) and its groups' displayNames.</summary>
    public static JsonObject Member(MemberWithRole member) => new()
    {
        ["id"] = member.Id,
        ["userName"] = member.UserName,
        ["displayName"] = member.DisplayName,
        ["active"] = member.Active,
        ["role"] = member.Role,
        ["groups"] = new JsonArray(member.Groups.Select(g => (JsonNode?)g.DisplayName).ToArray()),
    };

    public static JsonObject Event(ProvisioningEvent e) => new()
    {
        ["id"] = e.Id,
        ["time"] = Time(e.OccurredAt),
        ["operation"] = e.Operation,
        ["method"] = e.Method,
        ["path"] = e.Path,
        ["resourceType"] = e.ResourceType,
        ["targetId"] = e.TargetId,
        ["target"] = e.TargetName,
        ["outcome"] = e.Outcome,
        ["effect"] = e.Effect,
        ["status"] = e.HttpStatus,
        ["scimType"] = e.ScimType,
        ["reason"] = e.Reason,
        ["client"] = e.Client,
        ["tokenId"] = e.TokenId,
        ["durationMs"] = e.DurationMs,
        ["requestId"] = e.RequestId,
    };

    public static JsonObject AuditEntry(AdminAuditEntry e) => new()
    {
        ["id"] = e.Id,
        ["time"] = Time(e.OccurredAt),
        ["actor"] = e.Actor,
        ["action"] = e.Action,
        ["summary"] = e.Summary,
    };
}
