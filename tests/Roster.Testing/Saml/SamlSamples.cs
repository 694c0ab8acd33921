namespace Roster.Testing.Saml;

/// <summary>The captured IdP metadata and responses under tests/Roster.Saml.Tests/Samples, found from
/// any test project's output directory.</summary>
public static class SamlSamples
{
    public static string PathOf(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Roster.slnx"))) directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("Roster.slnx is not above the test's output directory."),
            "tests", "Roster.Saml.Tests", "Samples", name);
    }
}
