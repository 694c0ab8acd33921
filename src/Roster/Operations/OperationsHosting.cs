using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Roster.Directory;

namespace Roster.Operations;

/// <summary>What <see cref="Hosting.RosterServer"/> adds for running Roster: console logs (text or
/// JSON), rate limits, metrics at <c>/metrics</c>, traces over OTLP when asked for, and <c>/readyz</c>.</summary>
internal static class OperationsHosting
{
    /// <summary>The standard variable of the OpenTelemetry SDKs: traces and metrics go to this
    /// collector when it is set, and nowhere otherwise (Roster reaches out to no network by default).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The console log: none when <paramref name="quiet"/>, else one line of text or one JSON
    /// object per entry. Either way an entry carries only what the code logged: no request headers,
    /// bodies or query strings (where tokens, passwords and SAML messages travel).</summary>
    public static ILoggingBuilder AddRosterConsole(this ILoggingBuilder logging, bool quiet, LogFormat format)
    {
        if (quiet) return logging;
        AddFormatter(logging, format);
        // Microsoft's formatters, Roster's writer: see BatchingConsoleLoggerProvider for why.
        var microsofts = logging.Services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        logging.Services.Remove(microsofts);
        logging.Services.AddSingleton<ILoggerProvider, BatchingConsoleLoggerProvider>();
        return logging;
    }

    static ILoggingBuilder AddFormatter(ILoggingBuilder logging, LogFormat format)
    {
        if (format == LogFormat.Json)
        {
            return logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
                o.IncludeScopes = false;
                // Readable messages ("<slug>", "a+b"): the output is a log, never HTML.
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions
                {
                    Indented = false,
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                };
            });
        }
        return logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss "; });
    }

    public static IServiceCollection AddRosterOperations(this IServiceCollection services, OperationsOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<RosterTelemetry>();
        services.AddSingleton(_ => new RequestRateLimits(options.RateLimitShape));
        services.AddSingleton<DeploymentRateLimits>();
        services.AddSingleton<ScimRateLimiter>();

        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("roster", serviceVersion: typeof(OperationsHosting).Assembly.GetName().Version?.ToString(3)))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(RosterTelemetry.Name).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
        // Without a collector there is nobody to send spans to: no tracing at all, not even sampled.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(RosterTelemetry.Name).AddAspNetCoreInstrumentation().AddOtlpExporter());
        }
        return services;
    }

    public static WebApplication MapRosterOperations(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/readyz", (RosterDirectory directory, OperationsOptions options, HttpContext http) =>
            ReadinessEndpoint.ProbeAsync(directory, options, http));
        return app;
    }
}
