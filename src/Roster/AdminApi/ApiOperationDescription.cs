using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Roster.AdminApi;

/// <summary>The JSON body an admin API handler reads itself, for the OpenAPI document. Not the
/// framework's Accepts metadata: that makes routing answer a wrong content type with a bare 415 before
/// the key is checked; the handler answers it, after, as a problem.</summary>
public sealed record ApiJsonBody(Type Type);

/// <summary>A query parameter an admin API handler reads itself (through <see cref="ApiRequest"/>, after
/// the key was checked), declared for the OpenAPI document: the framework sees only the parameters it
/// binds. Added to an endpoint with <see cref="ApiOperationDescription.WithQuery"/>.</summary>
public sealed record ApiQueryParameter(string Name, string Description, bool IsInteger = false);

/// <summary>What handlers declare for the OpenAPI document beyond what the framework binds, and the
/// transformer that writes it in.</summary>
public static class ApiOperationDescription
{
    public static RouteHandlerBuilder WithQuery(this RouteHandlerBuilder builder, params ApiQueryParameter[] parameters) =>
        builder.WithMetadata(parameters.Cast<object>().ToArray());

    public static RouteHandlerBuilder WithJsonBody<T>(this RouteHandlerBuilder builder) => builder.WithMetadata(new ApiJsonBody(typeof(T)));

    /// <summary>Writes each endpoint's declared body and query parameters into its operation.</summary>
    public static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiJsonBody>().FirstOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) },
                },
            };
        }
        foreach (var parameter in context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiQueryParameter>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = ParameterLocation.Query,
                Required = false,
                Description = parameter.Description,
                Schema = new OpenApiSchema { Type = parameter.IsInteger ? JsonSchemaType.Integer : JsonSchemaType.String },
            });
        }
    }
}
