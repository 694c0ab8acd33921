using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Roster.AdminApi.Reference;

namespace Roster.AdminApi;

/// <summary>What the admin API adds to the server: the /api/v1 endpoints, their OpenAPI document at
/// /openapi/v1.json, and the reference page at /api/reference.</summary>
public static class AdminApiHosting
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string BearerScheme = "bearer";

    public static void AddAdminApi(this IServiceCollection services)
    {
        // The JSON minimal APIs write, and the OpenAPI schemas describe: numbers as numbers only (the web
        // defaults would also read "30", and the document would say integer-or-string).
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        services.AddOpenApi(DocumentName, options =>
        {
            // The admin API only: SCIM, SAML and the console have their own specifications (or none).
            options.ShouldInclude = description =>
                description.RelativePath?.StartsWith(EnterpriseApi.Prefix.TrimStart('/') + "/", StringComparison.Ordinal) == true;
            options.AddOperationTransformer(ApiOperationDescription.DescribeAsync);
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = EnterpriseApi.Tag,
                    Version = DocumentName,
                    Description = "Administer one enterprise of Roster: its SAML sign-on, SCIM provisioning and tokens, members, groups, roles, " +
                                  "provisioning log and rules. Authenticate with an admin API key (roster apikey create) as 'Authorization: Bearer KEY'; " +
                                  "a key opens its own enterprise only, named in the path by id or slug. Errors are RFC 9457 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An admin API key of the enterprise (rak_...).",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
                return Task.CompletedTask;
            });
        });
    }

    public static void MapAdminApi(this WebApplication app)
    {
        var enterprise = app.MapEnterpriseApi();
        EnterpriseEndpoints.Map(enterprise);
        SamlConfigurationEndpoints.Map(enterprise);
        ScimEndpoints.Map(enterprise);
        MemberEndpoints.Map(enterprise);
        GroupEndpoints.Map(enterprise);
        RoleMappingEndpoints.Map(enterprise);
        ProvisioningLogEndpoints.Map(enterprise);
        DeprovisioningPolicyEndpoints.Map(enterprise);
        IdentityEndpoints.Map(enterprise);
        EventEndpoints.Map(enterprise);
        WebhookApiEndpoints.Map(enterprise);
        app.MapOpenApi(DocumentPath.Replace(DocumentName, "{documentName}", StringComparison.Ordinal));
        ReferencePage.Map(app);
    }
}
