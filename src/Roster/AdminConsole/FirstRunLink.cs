using Roster.Directory;

namespace Roster.AdminConsole;

/// <summary>
/// The first run: while no enterprise has an owner account, nobody can sign in to the console, so
/// <c>roster serve</c> prints a one-time link where the person who started it names the organisation
/// and themselves, and becomes its owner. Each start makes a new link and retires the one before.
/// </summary>
internal static class FirstRunLink
{
    /// <summary>The line to print with the new link, or null when the first run is over.</summary>
    public static async Task<string?> CreateAsync(RosterDirectory directory, string publicBaseUrl, CancellationToken cancellationToken = default)
    {
        if (await directory.SetupLinks.CreateFirstRunAsync(cancellationToken) is not { } link) return null;
        return $"First run: create your organisation and its owner at {ConsoleUrls.Setup(publicBaseUrl, link.Token)} " +
               $"(one use, until {Cli.CliJson.Time(link.ExpiresAt)}).";
    }
}
