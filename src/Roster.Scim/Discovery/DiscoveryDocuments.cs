using System.Text.Json.Nodes;
using Roster.Scim.Resources;
using Roster.Scim.Schema;

namespace Roster.Scim.Discovery;

/// <summary>What the service provider can do (RFC 7644 §4, RFC 7643 §5-7), rendered from the same
/// definitions that drive parsing, so the documents cannot drift from the behaviour.</summary>
public sealed class DiscoveryDocuments(ServiceProviderCapabilities capabilities, IReadOnlyList<ResourceTypeDefinition> resourceTypes)
{
    /// <summary>Roster's extension of the ServiceProviderConfig: every limit a request runs into, beyond
    /// the ones RFC 7643 §5 has fields for (docs/limits.md).</summary>
    public const string LimitsUrn = "urn:roster:params:scim:schemas:extension:2.0:Limits";

    public IReadOnlyList<ResourceTypeDefinition> ResourceTypes { get; } = resourceTypes;

    public IEnumerable<SchemaDefinition> Schemas =>
        ResourceTypes.SelectMany(t => t.AllSchemas).DistinctBy(s => s.Id);

    public JsonObject ServiceProviderConfig(string baseUrl)
    {
        var config = Capabilities(baseUrl);
        if (capabilities.DocumentationUri is not null) config["documentationUri"] = capabilities.DocumentationUri;
        return config;
    }

    JsonObject Capabilities(string baseUrl) => new()
    {
        ["schemas"] = new JsonArray(JsonValue.Create(ScimSchemas.ServiceProviderConfigUrn), JsonValue.Create(LimitsUrn)),
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject
        {
            ["supported"] = capabilities.MaxBulkOperations > 0,
            ["maxOperations"] = capabilities.MaxBulkOperations,
            ["maxPayloadSize"] = capabilities.MaxPayloadSize,
        },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = capabilities.MaxResults },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = true },
        // RFC 9865 §4: both ways of paging; cursors are positions, not server state, so they do not time out.
        ["pagination"] = new JsonObject
        {
            ["cursor"] = true,
            ["index"] = true,
            ["defaultPaginationMethod"] = "index",
            ["defaultPageSize"] = capabilities.DefaultPageSize,
            ["maxPageSize"] = capabilities.MaxResults,
        },
        ["etag"] = new JsonObject { ["supported"] = true },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["type"] = "oauthbearertoken",
            ["name"] = "Bearer token",
            ["description"] = "A SCIM token of this enterprise, made with `roster token create`, sent as `Authorization: Bearer TOKEN`.",
            ["specUri"] = "https://www.rfc-editor.org/rfc/rfc6750",
            ["primary"] = true,
        }),
        [LimitsUrn] = new JsonObject
        {
            ["maxPayloadSize"] = capabilities.MaxPayloadSize,
            ["maxJsonDepth"] = capabilities.Limits.MaxJsonDepth,
            ["maxFilterLength"] = capabilities.Limits.MaxFilterLength,
            ["maxFilterDepth"] = capabilities.Limits.MaxFilterDepth,
            ["maxPatchOperations"] = capabilities.Limits.MaxPatchOperations,
            ["maxResults"] = capabilities.MaxResults,
            ["maxBulkOperations"] = capabilities.MaxBulkOperations,
        },
        ["meta"] = new JsonObject
        {
            ["resourceType"] = "ServiceProviderConfig",
            ["location"] = baseUrl + "/ServiceProviderConfig",
        },
    };

    public JsonObject ResourceType(ResourceTypeDefinition type, string baseUrl)
    {
        var extensions = new JsonArray();
        foreach (var extension in type.Extensions)
        {
            extensions.Add(new JsonObject { ["schema"] = extension.Schema.Id, ["required"] = extension.Required });
        }
        return new JsonObject
        {
            ["schemas"] = new JsonArray(JsonValue.Create(ScimSchemas.ResourceTypeUrn)),
            ["id"] = type.Name,
            ["name"] = type.Name,
            ["endpoint"] = type.Endpoint,
            ["description"] = type.Description,
            ["schema"] = type.Schema.Id,
            ["schemaExtensions"] = extensions,
            ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = baseUrl + "/ResourceTypes/" + type.Name },
        };
    }

    public JsonObject Schema(SchemaDefinition schema, string baseUrl) => SchemaResourceWriter.Write(schema, baseUrl);

    public JsonObject ResourceTypeList(string baseUrl) =>
        ListResponse.Create(ResourceTypes.Select(t => (JsonNode)ResourceType(t, baseUrl)), ResourceTypes.Count, 1);

    public JsonObject SchemaList(string baseUrl)
    {
        var schemas = Schemas.ToList();
        return ListResponse.Create(schemas.Select(s => (JsonNode)Schema(s, baseUrl)), schemas.Count, 1);
    }
}

/// <summary>The limits and links a deployment advertises.</summary>
public sealed record ServiceProviderCapabilities(int MaxResults, int DefaultPageSize, int MaxBulkOperations, int MaxPayloadSize, string? DocumentationUri)
{
    public RequestLimits Limits { get; init; } = RequestLimits.Default;
}

/// <summary>The limits a SCIM request is held to that RFC 7643 §5 has no field for.</summary>
public sealed record RequestLimits(int MaxJsonDepth, int MaxFilterLength, int MaxFilterDepth, int MaxPatchOperations)
{
    /// <summary>The deepest JSON a request body may nest: a SCIM User nests four levels.</summary>
    public const int JsonDepth = 64;

    public static RequestLimits Default { get; } = new(JsonDepth, Filtering.ScimFilterParser.MaxLength, Filtering.ScimFilterParser.MaxDepth,
        Patching.PatchRequest.MaxOperations);
}
