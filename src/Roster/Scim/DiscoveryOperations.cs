using System.Text.Json.Nodes;
using Roster.Scim.Discovery;
using Roster.Scim.Errors;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Scim;

/// <summary>/ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4).</summary>
internal static class DiscoveryOperations
{
    static readonly ServiceProviderCapabilities Capabilities = new(ListRequest.MaxCount, ListRequest.DefaultCount,
        BulkOperations.MaxOperations, ScimHttp.MaxBodyBytes, DocumentationUri: null);

    /// <summary>The documents of this request's enterprise: its User resource type has the schemas it
    /// declares, so /Schemas and /ResourceTypes differ from one enterprise to the next.</summary>
    static DiscoveryDocuments Documents(ScimRequest request) => new(Capabilities, [request.UserType, ScimSchemas.GroupResourceType]);

    public static Task ServiceProviderConfigAsync(ScimRequest request, string[] path) =>
        ScimHttp.WriteAsync(request.Http.Response, 200, Documents(request).ServiceProviderConfig(request.BaseUrl), request.Aborted);

    public static Task ResourceTypesAsync(ScimRequest request, string[] path)
    {
        var documents = Documents(request);
        return ListOrOneAsync(request, path, "resource type", documents.ResourceTypes, t => t.Name, documents.ResourceTypeList, documents.ResourceType);
    }

    public static Task SchemasAsync(ScimRequest request, string[] path)
    {
        var documents = Documents(request);
        return ListOrOneAsync(request, path, "schema", documents.Schemas, s => s.Id, documents.SchemaList, documents.Schema);
    }

    /// <summary>/Things lists them all; /Things/{id} is one, by its id without regard to case.</summary>
    static Task ListOrOneAsync<T>(ScimRequest request, string[] path, string what, IEnumerable<T> all, Func<T, string> id,
        Func<string, JsonObject> list, Func<T, string, JsonObject> one)
    {
        if (path.Length == 1) return ScimHttp.WriteAsync(request.Http.Response, 200, list(request.BaseUrl), request.Aborted);
        var item = all.FirstOrDefault(i => string.Equals(id(i), path[1], StringComparison.OrdinalIgnoreCase));
        if (item is null) throw ScimException.NotFound($"No {what} '{path[1]}'.");
        return ScimHttp.WriteAsync(request.Http.Response, 200, one(item, request.BaseUrl), request.Aborted);
    }
}
