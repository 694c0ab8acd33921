using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Roster.Directory;
using Roster.Directory.Audit;
using Roster.Directory.Enterprises;
using Roster.Directory.Health;
using Roster.Directory.Tokens;

namespace Roster.Health;

/// <summary>One step of the self-test as it went.</summary>
/// <param name="Status">The HTTP status Roster answered, or null when the step could not be sent or was not run.</param>
public sealed record SelfTestStep(string Name, int? Status, long ElapsedMs, bool Passed, string Detail);

/// <summary>
/// Exercises an enterprise's own SCIM endpoint end to end, as its IdP would, over real HTTP to this
/// server: a temporary token, a test member and a test group go through the lifecycle an IdP drives,
/// and everything is removed afterwards, also when a step fails. The traffic is in the provisioning
/// log under the User-Agent <see cref="ConnectionHealth.SelfTestUserAgent"/>; the token's creation and
/// revocation are audited under its name, <see cref="ConnectionHealth.SelfTestTokenName"/>.
/// </summary>
public sealed class ScimSelfTest(RosterDirectory directory)
{
    const string ScimJson = "application/scim+json";
    static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);
    static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    /// <param name="baseAddress">Where this server is reached from itself, e.g. http://127.0.0.1:5080/.</param>
    public async Task<IReadOnlyList<SelfTestStep>> RunAsync(Enterprise enterprise, Uri baseAddress, AuditActor actor, CancellationToken cancellationToken)
    {
        var issued = await directory.Tokens.CreateAsync(enterprise, ConnectionHealth.SelfTestTokenName, directory.Clock.GetUtcNow() + TokenLifetime, actor, cancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(baseAddress, enterprise.ScimPath + "/"), Timeout = StepTimeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.Secret);
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", ConnectionHealth.SelfTestUserAgent);
        http.DefaultRequestHeaders.Accept.ParseAdd(ScimJson);

        var steps = new List<SelfTestStep>();
        var marker = Identifiers.NewId()[^10..].ToLowerInvariant();
        var userName = $"roster-self-test-{marker}@self-test.invalid";
        var groupName = $"Roster self-test {marker}";
        string? userId = null;
        string? groupId = null;
        try
        {
            var created = await StepAsync(steps, http, "Create the test member", HttpMethod.Post, "Users", UserBody(userName, "Test", true), 201, cancellationToken);
            userId = StringOf(created?["id"]);
            if (userId is null)
            {
                NotRun(steps, "the test member was not created", "Find the member by filter", "Update the member (PUT)", "Deactivate the member",
                    "Reactivate the member", "Create the test group", "Add the member to the group", "Remove the member from the group",
                    "Delete the test group", "Delete the test member");
                return steps;
            }

            await StepAsync(steps, http, "Find the member by filter", HttpMethod.Get,
                $"Users?filter={Uri.EscapeDataString($"userName eq \"{userName}\"")}", null, 200, cancellationToken,
                json => json["totalResults"]?.GetValue<long>() == 1 ? null : $"the filter found {json["totalResults"]} members, not 1");
            await StepAsync(steps, http, "Update the member (PUT)", HttpMethod.Put, $"Users/{userId}", UserBody(userName, "Tested", true), 200, cancellationToken,
                json => StringOf(json["name"]?["givenName"]) == "Tested" ? null : "the new given name was not kept");
            await StepAsync(steps, http, "Deactivate the member", HttpMethod.Patch, $"Users/{userId}", ActiveBody(false), 200, cancellationToken,
                json => json["active"]?.GetValue<bool>() == false ? null : "the member is still active");
            await StepAsync(steps, http, "Reactivate the member", HttpMethod.Patch, $"Users/{userId}", ActiveBody(true), 200, cancellationToken,
                json => json["active"]?.GetValue<bool>() == true ? null : "the member is not active");

            var group = await StepAsync(steps, http, "Create the test group", HttpMethod.Post, "Groups",
                new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"), ["displayName"] = groupName }.ToJsonString(),
                201, cancellationToken);
            groupId = StringOf(group?["id"]);
            if (groupId is null)
            {
                NotRun(steps, "the test group was not created", "Add the member to the group", "Remove the member from the group", "Delete the test group");
            }
            else
            {
                await StepAsync(steps, http, "Add the member to the group", HttpMethod.Patch, $"Groups/{groupId}",
                    PatchBody(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = userId }) }),
                    200, cancellationToken);
                await StepAsync(steps, http, "Remove the member from the group", HttpMethod.Patch, $"Groups/{groupId}",
                    PatchBody(new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{userId}\"]" }), 200, cancellationToken);
                if (await StepAsync(steps, http, "Delete the test group", HttpMethod.Delete, $"Groups/{groupId}", null, 204, cancellationToken) is not null)
                    groupId = null;
            }
            if (await StepAsync(steps, http, "Delete the test member", HttpMethod.Delete, $"Users/{userId}", null, 204, cancellationToken) is not null)
                userId = null;
            return steps;
        }
        finally
        {
            // Whatever failed, nothing of the test stays: what the steps did not delete is deleted here,
            // and the token ends with the run (were the revocation to fail, it expires on its own).
            await CleanUpAsync(http, groupId is null ? null : $"Groups/{groupId}");
            await CleanUpAsync(http, userId is null ? null : $"Users/{userId}");
            await directory.Tokens.RevokeAsync(enterprise, issued.Token.Id, actor, CancellationToken.None);
        }
    }

    /// <summary>Sends one request and judges it: the expected status, then <paramref name="check"/> of
    /// the JSON answer (null: fine). Returns the answer (an empty object for a 204) when the step passed.</summary>
    static async Task<JsonObject?> StepAsync(List<SelfTestStep> steps, HttpClient http, string name, HttpMethod method, string path, string? body,
        int expected, CancellationToken cancellationToken, Func<JsonObject, string?>? check = null)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, ScimJson);
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            JsonObject? json = null;
            try
            {
                json = text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                // Judged below: an answer that is not JSON fails the step.
            }
            // An add or remove of members may answer 204 as well as 200 (RFC 7644 §3.5.2).
            var statusOk = status == expected || (expected == 200 && method == HttpMethod.Patch && status == 204);
            string? problem = !statusOk
                ? $"expected {expected}, got {status}: {StringOf(json?["detail"]) ?? Shorten(text)}"
                : json is null ? "the answer is not a JSON object"
                : status == 204 ? null : Judge(check, json);
            steps.Add(new SelfTestStep(name, status, watch.ElapsedMilliseconds, problem is null, problem ?? "as expected"));
            return problem is null ? json : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            steps.Add(new SelfTestStep(name, null, watch.ElapsedMilliseconds, false, $"the request could not be sent: {e.Message}"));
            return null;
        }
    }

    /// <summary>A check of the answer; an answer whose values have the wrong JSON types fails it.</summary>
    static string? Judge(Func<JsonObject, string?>? check, JsonObject json)
    {
        try
        {
            return check?.Invoke(json);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return $"the answer is not what SCIM says it is: {e.Message}";
        }
    }

    static string? StringOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    static void NotRun(List<SelfTestStep> steps, string why, params string[] names)
    {
        foreach (var name in names) steps.Add(new SelfTestStep(name, null, 0, false, $"not run: {why}"));
    }

    static async Task CleanUpAsync(HttpClient http, string? path)
    {
        if (path is null) return;
        try
        {
            using var response = await http.DeleteAsync(path, CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The server that answers this request did not answer its own: nothing more can be done over HTTP.
        }
    }

    static string UserBody(string userName, string givenName, bool active) => new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
        ["name"] = new JsonObject { ["givenName"] = givenName, ["familyName"] = "Self-test" },
        ["emails"] = new JsonArray(new JsonObject { ["primary"] = true, ["value"] = userName, ["type"] = "work" }),
        ["active"] = active,
    }.ToJsonString();

    static string ActiveBody(bool active) => PatchBody(new JsonObject { ["op"] = "replace", ["value"] = new JsonObject { ["active"] = active } });

    static string PatchBody(JsonObject operation) => new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray(operation),
    }.ToJsonString();

    static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
