using Roster.Scim.Discovery;
using Roster.Scim.Errors;
using Roster.Scim.Schema;

namespace Roster.Scim;

/// <summary>/ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4).</summary>
internal static class DiscoveryOperations
{
    public static readonly DiscoveryDocuments Documents = new(
        new ServiceProviderCapabilities(ScimPaging.MaxCount, DocumentationUri: null),
        [ScimSchemas.UserResourceType]);

    public static Task ServiceProviderConfigAsync(ScimRequest request, string[] path) =>
        ScimHttp.WriteAsync(request.Http.Response, 200, Documents.ServiceProviderConfig(request.BaseUrl), request.Aborted);

    public static Task ResourceTypesAsync(ScimRequest request, string[] path)
    {
        if (path.Length == 1)
            return ScimHttp.WriteAsync(request.Http.Response, 200, Documents.ResourceTypeList(request.BaseUrl), request.Aborted);
        var type = Documents.ResourceTypes.FirstOrDefault(t => string.Equals(t.Name, path[1], StringComparison.OrdinalIgnoreCase))
                   ?? throw ScimException.NotFound($"No resource type '{path[1]}'.");
        return ScimHttp.WriteAsync(request.Http.Response, 200, Documents.ResourceType(type, request.BaseUrl), request.Aborted);
    }

    public static Task SchemasAsync(ScimRequest request, string[] path)
    {
        if (path.Length == 1)
            return ScimHttp.WriteAsync(request.Http.Response, 200, Documents.SchemaList(request.BaseUrl), request.Aborted);
        var schema = Documents.Schemas.FirstOrDefault(s => string.Equals(s.Id, path[1], StringComparison.OrdinalIgnoreCase))
                     ?? throw ScimException.NotFound($"No schema '{path[1]}'.");
        return ScimHttp.WriteAsync(request.Http.Response, 200, Documents.Schema(schema, request.BaseUrl), request.Aborted);
    }
}
