using System.Text.Json.Nodes;
using Roster.Scim.Errors;
using Roster.Scim.Filtering;
using Roster.Scim.Schema;

namespace Roster.Scim.Patching;

/// <summary>
/// Applies a PATCH request (RFC 7644 §3.5.2) to a resource. The operations run in order on a copy; the
/// copy is returned only if all of them succeed, so a failed request leaves the caller's resource exactly
/// as it was. The result is not validated as a whole (required attributes, uniqueness): the caller does
/// that, as for PUT.
/// </summary>
public static class PatchEngine
{
    /// <exception cref="ScimException">The first failing operation's error, its detail prefixed with
    /// <c>Operations[i]:</c>: mutability (explicit path to a read-only attribute, change of an immutable
    /// one), invalidValue (value of the wrong type, removal of a required attribute, two primaries),
    /// noTarget (a value filter that matches nothing and does not describe an element to create).</exception>
    public static JsonObject Apply(JsonObject resource, PatchRequest request, ResourceTypeDefinition resourceType)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(resourceType);

        var working = (JsonObject)resource.DeepClone();
        foreach (var operation in request.Operations)
        {
            try
            {
                if (operation.Path is not null)
                {
                    PathOperationApplier.Apply(working, operation.Type, operation.Path, operation.Value, ignoreReadOnly: false);
                }
                else if (operation.Type != PatchOperationType.Remove && operation.Value is JsonObject attributes)
                {
                    ApplyWithoutPath(working, operation.Type, attributes, resourceType);
                }
                else
                {
                    // PatchRequest.Parse refuses these; an operation built by hand can still carry them.
                    throw operation.Type == PatchOperationType.Remove
                        ? ScimException.NoTarget("remove requires a path")
                        : ScimException.InvalidValue("an operation without a 'path' requires a 'value' that is an object of attributes");
                }
            }
            catch (ScimException e)
            {
                throw PatchRequest.ForOperation(e, operation.Index);
            }
        }
        return working;
    }

    /// <summary>
    /// add/replace without a path: each key of the value is itself a path (RFC 7644 §3.5.2.1 and §3.5.2.3;
    /// Entra's aadOptscim062020 sends <c>name.givenName</c> and URN-qualified keys), or a schema URN whose
    /// value is an object of that schema's attributes. Keys that do not resolve to a writable attribute
    /// are skipped without error: Okta sends <c>id</c> with every group rename, and identity providers send
    /// attributes a service provider does not support.
    /// </summary>
    static void ApplyWithoutPath(JsonObject resource, PatchOperationType type, JsonObject value, ResourceTypeDefinition resourceType)
    {
        foreach (var (key, item) in value)
        {
            var schema = string.Equals(key, resourceType.Schema.Id, StringComparison.OrdinalIgnoreCase)
                ? resourceType.Schema
                : resourceType.FindExtension(key);
            if (schema is null)
            {
                if (ScimPathParser.TryParse(key, resourceType, out var path))
                {
                    PathOperationApplier.Apply(resource, type, path, item, ignoreReadOnly: true);
                }
                continue;
            }

            switch (item)
            {
                case JsonObject attributes:
                    foreach (var (name, attributeValue) in attributes)
                    {
                        if (ScimPathParser.TryParse($"{schema.Id}:{name}", resourceType, out var path))
                        {
                            PathOperationApplier.Apply(resource, type, path, attributeValue, ignoreReadOnly: true);
                        }
                    }
                    break;
                case null when !ReferenceEquals(schema, resourceType.Schema):
                    // "urn:…:extension": null unassigns the extension's attributes.
                    foreach (var attribute in schema.Attributes)
                    {
                        var path = new PatchPath(new AttributePath(schema, schema.Id, isExtension: true, attribute, subAttribute: null, parent: null), null, null);
                        PathOperationApplier.Apply(resource, PatchOperationType.Remove, path, null, ignoreReadOnly: true);
                    }
                    break;
                default:
                    throw ScimException.InvalidValue($"The value of '{schema.Id}' must be an object of that schema's attributes; got {item?.ToJsonString() ?? "null"}");
            }
        }
    }
}
