namespace Roster.Testing;

/// <summary>Files of the repository (samples, docs) found from any test project's output directory.</summary>
public static class RepositoryFiles
{
    static readonly Lazy<string> Root = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Roster.slnx"))) directory = directory.Parent;
        return directory?.FullName ?? throw new DirectoryNotFoundException("Roster.slnx is not above the test's output directory.");
    });

    /// <summary>The path of <paramref name="parts"/> under the repository's root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root.Value, .. parts]);
}
