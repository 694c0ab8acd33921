using System.Text.Json.Nodes;
using Roster.Scim.Filtering;

namespace Roster.Scim.Patching;

/// <summary>One validated entry of a PATCH request's <c>Operations</c> array.</summary>
/// <param name="Index">Zero-based position in <c>Operations</c>, used to name the operation in errors.</param>
/// <param name="Type">add, replace or remove.</param>
/// <param name="Path">The parsed target; null for add/replace without a path, whose value is then an
/// object of attribute paths to values. Never null for remove.</param>
/// <param name="Value">The value as sent (not yet coerced to attribute types). Null for a remove without
/// value, and for add/replace of JSON null, which unassigns the target (RFC 7643 §2.5). The engine never
/// attaches this node to a resource; it copies what it keeps.</param>
public sealed record PatchOperation(int Index, PatchOperationType Type, PatchPath? Path, JsonNode? Value);
