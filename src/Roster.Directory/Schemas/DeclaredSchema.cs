using Roster.Scim.Schema;

namespace Roster.Directory.Schemas;

/// <summary>A SCIM extension schema an enterprise declared for its Users, and when.</summary>
public sealed record DeclaredSchema(string EnterpriseId, SchemaDefinition Definition, DateTimeOffset CreatedAt)
{
    public string Urn => Definition.Id;
}
