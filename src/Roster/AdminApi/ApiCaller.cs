using Roster.Directory.Audit;
using Roster.Directory.Enterprises;

namespace Roster.AdminApi;

/// <summary>Who is calling the admin API: the key that authenticated the request, and the one
/// enterprise it opens (the one the URL names: the filter of <see cref="EnterpriseApi"/> checked).</summary>
/// <param name="Actor">The key as the audit log names it: pass it to every store change.</param>
public sealed record ApiCaller(Enterprise Enterprise, string KeyId, string KeyName, AuditActor Actor);

public static class ApiCallerAccess
{
    /// <summary>The caller of a request inside <see cref="EnterpriseApi.MapEnterpriseApi"/>'s group.</summary>
    /// <exception cref="InvalidOperationException">The endpoint is outside that group (a programming error).</exception>
    public static ApiCaller ApiCaller(this HttpContext context) =>
        context.Items[typeof(ApiCaller)] as ApiCaller
        ?? throw new InvalidOperationException("Only an endpoint of the group MapEnterpriseApi returns has an API caller.");

    internal static void SetApiCaller(this HttpContext context, ApiCaller caller) => context.Items[typeof(ApiCaller)] = caller;
}
