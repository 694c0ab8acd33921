using System.Globalization;
using System.Text.RegularExpressions;
using Roster.Directory.Members;
using Roster.Scim.Errors;

namespace Roster.Directory.Provisioning;

/// <summary>
/// An entry of the provisioning log in words an admin understands: who tried what on whom, what went
/// wrong and what to do, e.g. "Okta tried to create jane@acme.com, who already exists as a deactivated
/// member: reactivate instead". Reads only the entry (its status, scimType, the reason the directory
/// or the host recorded, the target and the User-Agent); the raw reason stays available beside it.
/// </summary>
public static partial class ProvisioningReasonText
{
    public static string Describe(ProvisioningEvent entry)
    {
        var idp = IdentityProviderName.FromUserAgent(entry.Client);
        var target = TargetOf(entry);
        if (!entry.IsFailure) return Succeeded(entry, idp, target);

        var tried = $"{idp} tried to {Verb(entry)}{(target is null ? "" : " " + target)}";
        var reason = entry.Reason ?? "";
        var detail = Sentence(reason);
        return entry.HttpStatus switch
        {
            401 => Unauthenticated(idp, reason),
            403 => $"{idp} is connected, but SCIM provisioning is turned off for this enterprise: turn it on on the SCIM page (once SAML sign-in works).",
            404 when entry.Operation is "unknown" =>
                $"{idp} called an address that is not a SCIM endpoint ({PathOnly(entry.Path)}): check the SCIM base URL configured in {idp}.",
            404 => $"{tried}, {(target is null ? "which" : "who")} does not exist in this enterprise (never provisioned here, or deleted): {detail}",
            409 => Conflict(entry, idp, target, reason),
            412 => $"{tried} from an outdated copy (If-Match named a version that is no longer current): {idp} must read it again and retry.",
            413 => $"{tried} with a request larger than Roster accepts: {detail}",
            415 => $"{tried} with a body that is not JSON: {detail}",
            405 => $"{idp} used a method this SCIM endpoint does not support: {detail}",
            503 => $"{tried}, but the directory was unavailable at that moment; {idp} retries such requests. If it keeps happening, check the database.",
            >= 500 => $"{tried}, and Roster failed unexpectedly ({reason}). Report it with request id {entry.RequestId ?? "(none)"}.",
            400 => BadRequest(entry.ScimType, tried, detail),
            _ => $"{tried}; Roster answered {entry.HttpStatus.ToString(CultureInfo.InvariantCulture)}: {detail}",
        };
    }

    static string Succeeded(ProvisioningEvent entry, string idp, string? target)
    {
        var what = target is null ? "" : " " + target;
        // A rule's note rides after the effect ("provisioned (outside your domains: gmail.com)"): the
        // words are the effect's, then the note's.
        const string outsideNote = " (outside your domains: ";
        if (entry.Effect is { } noted && noted.IndexOf(outsideNote, StringComparison.Ordinal) is > 0 and var at)
        {
            var domain = noted[(at + outsideNote.Length)..].TrimEnd(')');
            return Succeeded(entry with { Effect = noted[..at] }, idp, target).TrimEnd('.') +
                   $", though the address is outside your email domains ({domain}): the enterprise's rule flags such members rather than refusing them.";
        }
        if (entry.Effect is { } removed && removed.StartsWith("removed (policy: ", StringComparison.Ordinal))
            return $"{idp} deprovisioned{what}, and the enterprise's policy removed them: access ended, the seat was freed, the history is kept " + removed["removed ".Length..] + ".";
        return entry.Effect switch
        {
            MemberEffect.Restored => $"{idp} provisioned{what} again, and Roster restored the member it had deprovisioned: the same member, with their history.",
            MemberEffect.SuspendedOnDelete => $"{idp} deleted{what}; the enterprise's policy suspends instead: access ended and the seat was freed, the member is kept deactivated (hidden from SCIM) and a new POST of the same userName restores them.",
            MemberEffect.Provisioned => $"{idp} provisioned{what}.",
            MemberEffect.ProvisionedInactive => $"{idp} provisioned{what} as deactivated.",
            MemberEffect.Deactivated => $"{idp} deprovisioned{what}: access ended and the seat was freed.",
            MemberEffect.Reactivated => $"{idp} reactivated{what}.",
            MemberEffect.Updated => $"{idp} updated{what}.",
            MemberEffect.Unchanged => $"{idp} sent{what} unchanged.",
            MemberEffect.Deleted => $"{idp} deleted{what}.",
            { } effect => $"{idp}: {(target is null ? "" : target + " ")}{effect}.",
            null => $"{idp} {Past(entry.Operation)}{what}.",
        };
    }

    static string Unauthenticated(string idp, string reason)
    {
        if (reason.Contains("revoked", StringComparison.Ordinal))
            return $"{idp} used a SCIM token that was revoked ({reason}): create a new token and paste it into {idp}.";
        if (reason.Contains("expired", StringComparison.Ordinal))
            return $"{idp} used a SCIM token that has expired ({reason}): create a new token and paste it into {idp}.";
        if (reason.Contains("not a token of this enterprise", StringComparison.Ordinal))
            return $"{idp} sent a wrong SCIM token: it is not a token of this enterprise. Paste a current token of this enterprise into {idp}.";
        if (reason.Contains("no Authorization header", StringComparison.Ordinal) || reason.Contains("no bearer token", StringComparison.Ordinal))
            return $"{idp} sent no SCIM token: set the API token (Bearer) in {idp}'s provisioning settings.";
        if (reason.Contains("not a bearer token", StringComparison.Ordinal))
            return $"{idp} sent an Authorization header that is not a bearer token: choose Bearer token (or HTTP header) authentication in {idp}.";
        return $"{idp} could not be authenticated: {Sentence(reason)}";
    }

    static string Conflict(ProvisioningEvent entry, string idp, string? target, string reason)
    {
        var who = target ?? "this userName";
        if (entry.ResourceType == "Group")
            return $"{idp} tried to {Verb(entry)} the group {who}, but another group already has that name: rename one of them, or link to the existing group in {idp}.";
        if (entry.Operation == "create" && reason.Contains(MemberDirectory.ExistingDeactivatedMember, StringComparison.Ordinal))
            return $"{idp} tried to create {who}, who already exists as a deactivated member: reactivate instead (in {idp}, match the existing user, then assign it again).";
        if (entry.Operation == "create")
            return $"{idp} tried to create {who}, who already exists as an active member: let {idp} match existing users by userName (import) instead of creating them.";
        return $"{idp} tried to {Verb(entry)} {who} with a userName another member already has: {Sentence(reason)}";
    }

    static string BadRequest(string? scimType, string tried, string detail) => scimType switch
    {
        ScimErrorType.InvalidFilter => $"{tried} with a filter Roster cannot read: {detail}",
        ScimErrorType.InvalidValue => $"{tried} with a value Roster cannot accept: {detail}",
        ScimErrorType.InvalidPath => $"{tried} with a PATCH path Roster cannot follow: {detail}",
        ScimErrorType.InvalidSyntax => $"{tried} with a request Roster cannot read: {detail}",
        ScimErrorType.Mutability => $"{tried} and change an attribute that cannot be changed: {detail}",
        ScimErrorType.NoTarget => $"{tried}, but the PATCH path matched nothing: {detail}",
        ScimErrorType.TooMany => $"{tried} with a request that matches too many results: {detail}",
        ScimErrorType.InvalidVersion => $"{tried} with an invalid version: {detail}",
        _ => $"{tried}, and the request was refused: {detail}",
    };

    /// <summary>What the IdP tried, as a verb. A PATCH that sets active to false is a deprovisioning.</summary>
    static string Verb(ProvisioningEvent entry)
    {
        var deactivating = entry.Messages?.RequestBody is { } body && (ActiveFalse().IsMatch(body) || PathActiveFalse().IsMatch(body));
        return entry.Operation switch
        {
            "create" => "create",
            "replace" => deactivating ? "deprovision" : "update",
            "patch" => deactivating ? "deprovision" : "change",
            "delete" => "delete",
            "get" => "read",
            "list" => "list",
            "search" => "search",
            "bulk" => "send a bulk request",
            "discovery" => "read the service's configuration",
            MemberDirectory.OperationJit => "create at sign-in",
            _ => "call",
        };
    }

    static string Past(string operation) => operation switch
    {
        "list" => "listed",
        "get" => "read",
        "search" => "searched",
        "discovery" => "read the configuration",
        "bulk" => "sent a bulk request",
        _ => operation,
    };

    /// <summary>The member or group named: the recorded name, else the id, else the id in the path.</summary>
    static string? TargetOf(ProvisioningEvent entry)
    {
        if (!string.IsNullOrEmpty(entry.TargetName)) return entry.TargetName;
        if (!string.IsNullOrEmpty(entry.TargetId)) return entry.TargetId;
        var match = ResourcePath().Match(PathOnly(entry.Path));
        return match.Success ? $"{(match.Groups[1].Value.StartsWith('U') || match.Groups[1].Value.StartsWith('u') ? "user" : "group")} {Uri.UnescapeDataString(match.Groups[2].Value)}" : null;
    }

    static string PathOnly(string path) => path.Split('?', 2)[0];

    static string Sentence(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return "no reason was recorded.";
        return trimmed.EndsWith('.') ? trimmed : trimmed + ".";
    }

    [GeneratedRegex("/(Users|Groups)/([^/ ]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ResourcePath();

    [GeneratedRegex("\"active\"\\s*:\\s*(false|\"false\")", RegexOptions.IgnoreCase)]
    private static partial Regex ActiveFalse();

    [GeneratedRegex("\"path\"\\s*:\\s*\"active\"[^}]*\"value\"\\s*:\\s*(false|\"false\")", RegexOptions.IgnoreCase)]
    private static partial Regex PathActiveFalse();
}
