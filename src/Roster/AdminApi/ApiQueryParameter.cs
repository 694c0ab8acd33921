using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Roster.AdminApi;

/// <summary>A query parameter an admin API handler reads itself (through <see cref="ApiRequest"/>, after
/// the key was checked), declared for the OpenAPI document: the framework sees only the parameters it
/// binds. Added to an endpoint with <see cref="ApiQueryParameters.WithQuery"/>.</summary>
public sealed record ApiQueryParameter(string Name, string Description, bool IsInteger = false);

public static class ApiQueryParameters
{
    public static RouteHandlerBuilder WithQuery(this RouteHandlerBuilder builder, params ApiQueryParameter[] parameters) =>
        builder.WithMetadata(parameters.Cast<object>().ToArray());

    /// <summary>Writes each endpoint's declared query parameters into its operation.</summary>
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
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
        return Task.CompletedTask;
    }
}
