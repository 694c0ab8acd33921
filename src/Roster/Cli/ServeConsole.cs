using Roster.Hosting;
using Roster.Operations;

namespace Roster.Cli;

/// <summary>What <c>roster serve</c> tells whoever started it. With text logs, lines on stdout (and
/// warnings on stderr) as always; with JSON logs, entries of the server's log, so that stdout stays
/// one JSON object per line for the collector. The first-run link, a one-time secret, is never put in
/// the log: with JSON logs it goes to stderr, for the person at the terminal.</summary>
internal sealed class ServeConsole(Invocation invocation, RosterServer server, LogFormat format)
{
    readonly ILogger logger = server.LoggerFactory.CreateLogger("Roster.Serve");

    public void Say(string line)
    {
        if (format == LogFormat.Json) logger.LogInformation("{Line}", line);
        else invocation.Out.WriteLine(line);
    }

    public void Warn(string warning)
    {
        if (format == LogFormat.Json) logger.LogWarning("{Warning}", warning);
        else invocation.Error.WriteLine($"roster: warning: {warning}");
    }

    public void FirstRun(string line)
    {
        if (format == LogFormat.Json) invocation.Error.WriteLine(line);
        else invocation.Out.WriteLine(line);
    }
}
