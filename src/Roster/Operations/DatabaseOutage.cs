using System.Data.Common;
using System.Globalization;
using Npgsql;
using Roster.Directory;

namespace Roster.Operations;

/// <summary>
/// Whether a failure means the database is unreachable for now (PostgreSQL stopped or restarting,
/// the network to it down, a session ended under a statement) rather than a fault of Roster's: such a
/// request is answered 503 with <c>Retry-After</c>, which IdPs retry, not 500, which they report.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>What <c>Retry-After</c> says: long enough for a PostgreSQL restart, short enough that
    /// an IdP's retry finds it back.</summary>
    public const int RetryAfterSeconds = 5;

    public static string RetryAfter => RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    public static bool Is(Exception e) => e switch
    {
        // RosterDatabase wraps a connection that could not be opened.
        RosterException { InnerException: DbException or System.Net.Sockets.SocketException } => true,
        // Class 08 (connection), 57P0x (server shutting down, crashed, starting), 53 (out of resources).
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                                      || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
                                      || postgres.SqlState.StartsWith("53", StringComparison.Ordinal),
        // Npgsql's own (not the server's) when the connection broke or timed out; SQLite's busy or locked.
        DbException { IsTransient: true } => true,
        _ => false,
    };
}
