using System.Globalization;
using Roster.Operations;

namespace Roster.Cli;

/// <summary>The options of <c>roster serve</c> that say how it runs: rate limits and log format.</summary>
internal static class ServeOperationsOptions
{
    public const string LogFormatVariable = "ROSTER_LOG_FORMAT";

    public static IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("rate-limit-token",
            $"SCIM requests per second each token may make, sustained, with bursts of up to 5 seconds' worth " +
            $"(default {OperationsOptions.DefaultPerToken}; 0: no limit). Past it: 429 with Retry-After.", "N"),
        new("rate-limit-enterprise",
            $"SCIM requests per second all of an enterprise's tokens together may make, same bursts " +
            $"(default {OperationsOptions.DefaultPerEnterprise}; 0: no limit). 'roster ratelimit set' overrides both per enterprise.", "N"),
        new("log-format", $"text (default) or json: one JSON object per line (also ${LogFormatVariable}).", "text|json"),
    ];

    public static OperationsOptions From(Invocation invocation) => new()
    {
        RateLimitPerToken = Rate(invocation, "rate-limit-token", OperationsOptions.DefaultPerToken),
        RateLimitPerEnterprise = Rate(invocation, "rate-limit-enterprise", OperationsOptions.DefaultPerEnterprise),
        LogFormat = Format(invocation),
    };

    static int Rate(Invocation invocation, string option, int defaultRate)
    {
        if (invocation.Get(option) is not { } text) return defaultRate;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= Directory.Operations.EnterpriseRateLimit.MaxPerSecond
            ? n
            : throw new UsageException(
                $"--{option} takes a whole number of requests per second from 0 (no limit) to {Directory.Operations.EnterpriseRateLimit.MaxPerSecond}, not '{text}'.");
    }

    static LogFormat Format(Invocation invocation)
    {
        var (text, from) = invocation.Get("log-format") is { } given
            ? (given, "--log-format")
            : (Environment.GetEnvironmentVariable(LogFormatVariable), "$" + LogFormatVariable);
        return text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "text" => LogFormat.Text,
            "json" => LogFormat.Json,
            _ => throw new UsageException($"{from} is 'text' or 'json', not '{text}'."),
        };
    }
}
