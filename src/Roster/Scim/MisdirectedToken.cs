using Roster.Directory;
using Roster.Directory.Health;
using Roster.Directory.Provisioning;
using Roster.Scim.Errors;

namespace Roster.Scim;

/// <summary>
/// A token of one enterprise sent to another enterprise's SCIM URL (or to one of no enterprise): the
/// IdP was set up with the wrong base URL. The caller gets the same 401 as for any unknown token, the
/// enterprise whose URL was called keeps its entry that says only "not a token of this enterprise",
/// and the token's own enterprise gets an entry in its log that says its token went elsewhere, with
/// the path's enterprise left out: neither enterprise learns anything of the other.
/// </summary>
internal static class MisdirectedToken
{
    public static async Task RecordAsync(RosterDirectory directory, HttpContext http, string? calledEnterpriseId, ProvisioningAttempt attempt,
        ScimException error, CancellationToken cancellationToken)
    {
        var token = await directory.Tokens.FindBySecretAsync(ScimAuthenticator.ReadToken(http.Request), cancellationToken);
        if (token is null || token.EnterpriseId == calledEnterpriseId) return;
        var entry = new ProvisioningAttempt
        {
            EnterpriseId = token.EnterpriseId,
            Method = attempt.Method,
            Path = WithoutEnterprise(http.Request.Path.Value ?? "") + http.Request.QueryString,
            Operation = attempt.Operation,
            ResourceType = attempt.ResourceType,
            RequestId = attempt.RequestId,
            Client = attempt.Client,
            TokenId = token.Id,
            StartedAt = attempt.StartedAt,
        };
        FailedExchange.Describe(entry, http.Request, error);
        await directory.Log.RecordFailureAsync(entry, error.Status, error.ScimType,
            $"the bearer token '{token.Name}' ({token.Id}) {RequestKinds.PresentedElsewhereReason}", cancellationToken);
    }

    /// <summary>/scim/v2/other/Users as /scim/v2/…/Users.</summary>
    static string WithoutEnterprise(string path)
    {
        var rest = path.Length > ScimDispatcher.Prefix.Length ? path[(ScimDispatcher.Prefix.Length + 1)..] : "";
        var slash = rest.IndexOf('/');
        return ScimDispatcher.Prefix + "/…" + (slash < 0 ? "" : rest[slash..]);
    }
}
