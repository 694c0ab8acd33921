using System.Globalization;
using System.Text.Json.Nodes;
using Roster.Directory.Provisioning;
using Roster.Scim.Errors;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Scim;

/// <summary>
/// POST /Bulk (RFC 7644 §3.7): many writes on Users and Groups in one request, each done exactly as the same request on
/// its own would be (its own transaction, its own line in the provisioning log), in the order given.
/// <c>bulkId:</c> references name resources created earlier in the same request; <c>failOnErrors</c>
/// stops the request after that many failures.
/// </summary>
internal static class BulkOperations
{
    public const string BulkRequestUrn = ScimSchemas.BulkRequestUrn;
    public const string BulkResponseUrn = ScimSchemas.BulkResponseUrn;
    public const int MaxOperations = 1000;

    sealed record Operation(int Index, string Method, string Path, string? BulkId, string? Version, JsonNode? Data);

    public static async Task BulkAsync(ScimRequest request, string[] path)
    {
        if (request.Http.Request.ContentLength > ScimHttp.MaxBodyBytes)
            throw new ScimException(413, null, $"A bulk request may carry at most {ScimHttp.MaxBodyBytes} bytes (maxPayloadSize).");
        var body = await ScimHttp.ReadJsonAsync(request);
        var (operations, failOnErrors) = Parse(body);

        var created = new Dictionary<string, string>(StringComparer.Ordinal); // bulkId -> id
        var results = new JsonArray();
        var errors = 0;
        foreach (var operation in operations)
        {
            if (failOnErrors is { } limit && errors >= limit) break;
            var result = await RunAsync(request, operation, created);
            if (result["status"]!.GetValue<string>() is var status && status[0] is '4' or '5') errors++;
            results.Add(result);
        }

        await ScimHttp.WriteAsync(request.Http.Response, 200, new JsonObject
        {
            ["schemas"] = new JsonArray(JsonValue.Create(BulkResponseUrn)),
            ["Operations"] = results,
        }, request.Aborted);
    }

    static async Task<JsonObject> RunAsync(ScimRequest request, Operation operation, Dictionary<string, string> created)
    {
        var attempt = new ProvisioningAttempt
        {
            EnterpriseId = request.Enterprise.Id,
            Method = operation.Method,
            Path = $"{request.Enterprise.ScimPath}{operation.Path} (Bulk operation {operation.Index})",
            Operation = operation.Method switch { "POST" => "create", "PUT" => "replace", "PATCH" => "patch", _ => "delete" },
            ResourceType = ResourceTypeOf(operation.Path),
            RequestId = $"{request.Http.TraceIdentifier}#{operation.Index}",
            Client = request.Attempt.Client,
            TokenId = request.Attempt.TokenId,
            StartedAt = request.Directory.Clock.GetUtcNow(),
        };
        var response = new JsonObject { ["method"] = operation.Method };
        if (operation.BulkId is not null) response["bulkId"] = operation.BulkId;
        try
        {
            var target = Resolve(operation.Path, created);
            var segments = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var resourceType = segments.Length is 1 or 2 ? ResourceTypeOf(target) : null;
            if (resourceType is null)
                throw ScimException.InvalidPath($"Bulk operations address /Users, /Users/{{id}}, /Groups and /Groups/{{id}}, not '{operation.Path}'.");
            var id = segments.Length == 2 ? Uri.UnescapeDataString(segments[1]) : null;
            var ifMatch = EntityTagCondition.Parse(operation.Version);
            var data = operation.Data is null ? null : ResolveData(operation.Data, created);
            JsonNode Data() => data ?? throw MissingData(operation);

            var context = request.Context;
            var result = (resourceType, operation.Method, id) switch
            {
                ("User", "POST", null) => Outcome.Of(await UserCommands.CreateAsync(context, Data(), attempt)),
                ("User", "PUT", { } user) => Outcome.Of(await UserCommands.ReplaceAsync(context, user, Data(), ifMatch, attempt)),
                ("User", "PATCH", { } user) => Outcome.Of(await UserCommands.PatchAsync(context, user, Data(), ifMatch, attempt)),
                ("User", "DELETE", { } user) => Outcome.Of(await UserCommands.DeleteAsync(context, user, ifMatch, attempt)),
                ("Group", "POST", null) => Outcome.Of(await GroupCommands.CreateAsync(context, Data(), attempt)),
                ("Group", "PUT", { } group) => Outcome.Of(await GroupCommands.ReplaceAsync(context, group, Data(), ifMatch, attempt)),
                ("Group", "PATCH", { } group) => Outcome.Of(await GroupCommands.PatchAsync(context, group, Data(), ifMatch, attempt, 200)),
                ("Group", "DELETE", { } group) => Outcome.Of(await GroupCommands.DeleteAsync(context, group, ifMatch, attempt)),
                _ => throw ScimException.InvalidPath($"{operation.Method} {operation.Path}: POST takes a collection; PUT, PATCH and DELETE take /{{collection}}/{{id}}."),
            };
            if (operation.Method == "POST" && operation.BulkId is not null) created[operation.BulkId] = result.Id!;
            if (result.Location is not null) response["location"] = result.Location;
            if (result.ETag is not null) response["version"] = result.ETag;
            response["status"] = result.Status.ToString(CultureInfo.InvariantCulture);
        }
        catch (ScimException e)
        {
            // The operation's entry shows that operation as sent, not the whole bulk request.
            if (operation.Data is not null) attempt.RequestBody = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(operation.Data);
            FailedExchange.Describe(attempt, request.Http.Request, e);
            await request.Directory.Log.RecordFailureAsync(attempt, e.Status, e.ScimType, e.Data["reason"] as string ?? e.Detail, CancellationToken.None);
            response["status"] = e.Status.ToString(CultureInfo.InvariantCulture);
            response["response"] = ScimErrorBody.From(e);
        }
        return response;
    }

    /// <summary>What a write answered, whatever the resource type.</summary>
    sealed record Outcome(int Status, string? Id, string? Location, string? ETag)
    {
        public static Outcome Of(ScimResult result) => new(result.Status, result.Member?.Id, result.Location, result.ETag);
        public static Outcome Of(GroupResult result) => new(result.Status, result.Group?.Id, result.Location, result.ETag);
    }

    static string? ResourceTypeOf(string path)
    {
        var collection = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return string.Equals(collection, "Users", StringComparison.OrdinalIgnoreCase) ? "User"
            : string.Equals(collection, "Groups", StringComparison.OrdinalIgnoreCase) ? "Group"
            : null;
    }

    static ScimException MissingData(Operation operation) =>
        ScimException.InvalidSyntax($"Operations[{operation.Index}]: {operation.Method} needs \"data\".");

    /// <summary>"bulkId:qwerty" becomes the id of the resource the operation with that bulkId created.</summary>
    static string Resolve(string text, Dictionary<string, string> created)
    {
        const string prefix = "bulkId:";
        var start = text.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0) return text;
        var end = start + prefix.Length;
        while (end < text.Length && text[end] is not ('/' or '"' or '?' or ' ')) end++;
        var bulkId = text[(start + prefix.Length)..end];
        if (!created.TryGetValue(bulkId, out var id))
            throw new ScimException(409, ScimErrorType.InvalidValue,
                $"'bulkId:{bulkId}' names no resource created earlier in this request (a failed, later or unknown operation).");
        return Resolve(text[..start] + id + text[end..], created);
    }

    static JsonNode ResolveData(JsonNode data, Dictionary<string, string> created) => data switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : (JsonNode?)ResolveData(p.Value, created)))),
        JsonArray array => new JsonArray(array.Select(item => item is null ? null : (JsonNode?)ResolveData(item, created)).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) && text.Contains("bulkId:", StringComparison.Ordinal) => JsonValue.Create(Resolve(text, created)),
        _ => data.DeepClone(),
    };

    static (List<Operation> Operations, int? FailOnErrors) Parse(JsonNode body)
    {
        if (body is not JsonObject request) throw ScimException.InvalidSyntax("A bulk request must be a JSON object.");
        JsonNode? Get(JsonObject obj, string name) =>
            obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

        if (Get(request, "schemas") is not JsonArray schemas
            || !schemas.Any(s => s is JsonValue v && v.TryGetValue<string>(out var urn) && string.Equals(urn, BulkRequestUrn, StringComparison.OrdinalIgnoreCase)))
            throw ScimException.InvalidSyntax($"A bulk request must carry \"schemas\": [\"{BulkRequestUrn}\"].");

        int? failOnErrors = null;
        if (Get(request, "failOnErrors") is { } fail)
        {
            if (fail is not JsonValue v || !v.TryGetValue<long>(out var n) || n < 1)
                throw ScimException.InvalidValue("\"failOnErrors\" must be a positive integer.");
            failOnErrors = (int)Math.Min(n, int.MaxValue);
        }
        if (Get(request, "Operations") is not JsonArray items) throw ScimException.InvalidSyntax("A bulk request must carry \"Operations\", an array.");
        if (items.Count > MaxOperations)
            throw new ScimException(413, null, $"A bulk request may carry at most {MaxOperations} operations (maxOperations), not {items.Count}.");

        var operations = new List<Operation>();
        var bulkIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item) throw ScimException.InvalidSyntax($"Operations[{i}] must be an object.");
            string? Text(string name) => Get(item, name) switch
            {
                null => null,
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                _ => throw ScimException.InvalidValue($"Operations[{i}].{name} must be a string."),
            };
            var method = Text("method")?.ToUpperInvariant();
            if (method is not ("POST" or "PUT" or "PATCH" or "DELETE"))
                throw ScimException.InvalidValue($"Operations[{i}].method must be POST, PUT, PATCH or DELETE.");
            var path = Text("path") ?? throw ScimException.InvalidValue($"Operations[{i}] needs a path.");
            var bulkId = Text("bulkId");
            if (method == "POST" && bulkId is null) throw ScimException.InvalidValue($"Operations[{i}]: a POST needs a bulkId (RFC 7644 §3.7).");
            if (bulkId is not null && !bulkIds.Add(bulkId)) throw ScimException.InvalidValue($"Operations[{i}]: bulkId '{bulkId}' is used twice.");
            operations.Add(new Operation(i, method, path, bulkId, Text("version"), Get(item, "data")));
        }
        return (operations, failOnErrors);
    }
}
