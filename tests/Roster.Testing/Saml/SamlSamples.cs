namespace Roster.Testing.Saml;

/// <summary>The captured IdP metadata and responses under tests/Roster.Saml.Tests/Samples.</summary>
public static class SamlSamples
{
    public static string PathOf(string name) => RepositoryFiles.PathOf("tests", "Roster.Saml.Tests", "Samples", name);
}
