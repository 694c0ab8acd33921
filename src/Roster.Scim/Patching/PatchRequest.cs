using System.Text.Json;
using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Json;
using Roster.Scim.Schema;

namespace Roster.Scim.Patching;

/// <summary>
/// A PATCH request body (RFC 7644 §3.5.2), checked for shape and with every path parsed against the
/// resource type, so that a malformed request fails before anything is applied. Member names are matched
/// case-insensitively (<c>Operations</c>/<c>operations</c>, <c>op</c>/<c>Op</c>), and so are the operation
/// names: Entra sends <c>Add</c>, <c>Replace</c>, <c>Remove</c>.
/// </summary>
public sealed class PatchRequest
{
    /// <summary>More operations than this in one PATCH are refused before any is parsed: Okta and Entra
    /// send a handful (Entra batches group members by the hundred at most), and the bound keeps one
    /// request's transaction short.</summary>
    public const int MaxOperations = 1000;

    /// <summary>A request built in code; <see cref="Parse"/> is the way in for request bodies.</summary>
    public PatchRequest(IReadOnlyList<PatchOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        Operations = operations;
    }

    public IReadOnlyList<PatchOperation> Operations { get; }

    /// <exception cref="ScimException">invalidSyntax for a body that is not a PatchOp message or an
    /// operation that is not an object or has no valid <c>op</c>; invalidPath for a path that does not
    /// parse or names an unknown attribute; invalidValue for add/replace without a value, or without a
    /// path and with a value that is not an object; noTarget for remove without a path. Details about one
    /// operation start with <c>Operations[i]:</c>.</exception>
    public static PatchRequest Parse(JsonNode? body, ResourceTypeDefinition resourceType)
    {
        if (body is not JsonObject message)
        {
            throw ScimException.InvalidSyntax("The PATCH body must be a JSON object with 'schemas' and 'Operations'");
        }
        if (!ListsPatchOpSchema(message.GetIgnoreCase("schemas")))
        {
            throw ScimException.InvalidSyntax($"The PATCH body's 'schemas' must contain \"{ScimSchemas.PatchOpUrn}\"");
        }
        if (message.GetIgnoreCase("Operations") is not JsonArray items)
        {
            throw ScimException.InvalidSyntax("The PATCH body must have an 'Operations' array");
        }
        if (items.Count == 0)
        {
            throw ScimException.InvalidSyntax("The PATCH body's 'Operations' array must contain at least one operation");
        }

        if (items.Count > MaxOperations)
        {
            throw ScimException.InvalidValue($"The PATCH body carries {items.Count} operations; at most {MaxOperations} are accepted in one request.");
        }

        var operations = new PatchOperation[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            try
            {
                operations[i] = ParseOperation(i, items[i], resourceType);
            }
            catch (ScimException e)
            {
                throw ForOperation(e, i);
            }
        }
        return new PatchRequest(operations);
    }

    static PatchOperation ParseOperation(int index, JsonNode? item, ResourceTypeDefinition resourceType)
    {
        if (item is not JsonObject operation)
        {
            throw ScimException.InvalidSyntax("each operation must be a JSON object with 'op', and 'path' and/or 'value'");
        }

        var opNode = operation.GetIgnoreCase("op");
        if (!ScimValues.TryGetString(opNode, out var opText) || !TryParseType(opText, out var type))
        {
            var got = opNode is null ? "it is missing" : $"got {opNode.ToJsonString()}";
            throw ScimException.InvalidSyntax($"'op' must be add, replace or remove; {got}");
        }

        PatchPath? path = null;
        var pathNode = operation.GetIgnoreCase("path");
        if (pathNode is not null && pathNode.GetValueKind() != JsonValueKind.Null)
        {
            if (pathNode.GetValueKind() != JsonValueKind.String)
            {
                throw ScimException.InvalidPath($"'path' must be a string; got {pathNode.ToJsonString()}");
            }
            var pathText = pathNode.GetValue<string>();
            // Some clients send "path": "" for "no path"; treat it as absent rather than as a bad path.
            if (!string.IsNullOrWhiteSpace(pathText)) path = ScimPathParser.Parse(pathText, resourceType);
        }

        var valueKey = operation.FindKey("value");
        var value = valueKey is null ? null : operation[valueKey];
        if (value is not null && value.GetValueKind() == JsonValueKind.Null) value = null;

        switch (type)
        {
            case PatchOperationType.Remove when path is null:
                throw ScimException.NoTarget("remove requires a path");
            case PatchOperationType.Add or PatchOperationType.Replace when valueKey is null:
                throw ScimException.InvalidValue($"'{Name(type)}' requires a 'value'");
            case PatchOperationType.Add or PatchOperationType.Replace when path is null && value is not JsonObject:
                throw ScimException.InvalidValue($"'{Name(type)}' without a 'path' requires a 'value' that is an object of attributes; got {value?.ToJsonString() ?? "null"}");
        }
        return new PatchOperation(index, type, path, value);
    }

    static bool ListsPatchOpSchema(JsonNode? schemas)
    {
        if (schemas is not JsonArray list) return false;
        foreach (var item in list)
        {
            if (ScimValues.TryGetString(item, out var urn) && string.Equals(urn, ScimSchemas.PatchOpUrn, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    static bool TryParseType(string text, out PatchOperationType type)
    {
        if (text.Equals("add", StringComparison.OrdinalIgnoreCase)) { type = PatchOperationType.Add; return true; }
        if (text.Equals("replace", StringComparison.OrdinalIgnoreCase)) { type = PatchOperationType.Replace; return true; }
        if (text.Equals("remove", StringComparison.OrdinalIgnoreCase)) { type = PatchOperationType.Remove; return true; }
        type = default;
        return false;
    }

    static string Name(PatchOperationType type) => type switch
    {
        PatchOperationType.Add => "add",
        PatchOperationType.Replace => "replace",
        _ => "remove",
    };

    /// <summary>The same error, its detail prefixed with the operation it is about.</summary>
    internal static ScimException ForOperation(ScimException error, int index) =>
        new(error.Status, error.ScimType, $"Operations[{index}]: {error.Detail}");
}
