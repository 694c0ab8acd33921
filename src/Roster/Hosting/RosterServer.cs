using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Roster.AdminApi;
using Roster.AdminConsole;
using Roster.Directory;
using Roster.Operations;
using Roster.Saml;
using Roster.Scim;
using Roster.Webhooks;

namespace Roster.Hosting;

/// <summary>Roster's HTTP server: Kestrel serving every enterprise's SCIM endpoint and SAML sign-in.</summary>
public sealed class RosterServer : IAsyncDisposable
{
    readonly WebApplication app;

    RosterServer(WebApplication app) => this.app = app;

    /// <summary>The server's services: tests read its endpoint data source to cover every route.</summary>
    internal IServiceProvider Services => app.Services;

    public IReadOnlyList<string> Addresses =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>The server's loggers: <c>roster serve</c> writes its own start-up lines through them
    /// when the log is JSON, so that every line of its output is one.</summary>
    public ILoggerFactory LoggerFactory => app.Services.GetRequiredService<ILoggerFactory>();

    /// <param name="publicUrl">The address people and IdPs reach Roster at, when the operator set one
    /// (--public-url, $ROSTER_PUBLIC_URL); otherwise each request's own scheme and host stand for it.</param>
    /// <param name="webhooks">How this instance's webhook dispatcher works (<see cref="WebhookDispatcherOptions.Default"/> when null).</param>
    /// <param name="operations">Rate limits, log format, readiness timeout. Null: no server-wide rate
    /// limits (benchmarks, tests); `roster serve` passes its own, with the production defaults.</param>
    public static async Task<RosterServer> StartAsync(RosterDirectory directory, string urls, bool quiet = false, string? publicUrl = null,
        WebhookDispatcherOptions? webhooks = null, OperationsOptions? operations = null, CancellationToken cancellationToken = default)
    {
        operations ??= OperationsOptions.Unlimited;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            // The console's pages are found in the application's assembly: Roster's, also when a test
            // process (whose entry assembly is another) hosts the server.
            ApplicationName = typeof(RosterServer).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = ScimHttp.MaxBodyBytes * 2L;
            ConnectionLimits.Apply(kestrel.Limits);
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddRosterConsole(quiet, operations.LogFormat);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // Data protection warns that keys are stored unencrypted: they are, in Roster's database, like
        // the SP private keys; protecting the database protects them.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Services.AddSingleton(directory);
        builder.Services.AddSingleton(new PublicAddress(string.IsNullOrWhiteSpace(publicUrl) ? null : Saml.SamlUrls.NormalizePublicBaseUrl(publicUrl)));
        builder.Services.AddSingleton<ScimDispatcher>();
        builder.Services.AddSingleton<EnterpriseSamlCache>();
        builder.Services.AddSingleton<SamlSignIn>();
        builder.Services.AddAdminConsole(directory);
        builder.Services.AddRosterOperations(operations);
        builder.Services.AddSingleton(webhooks ?? WebhookDispatcherOptions.Default);
        builder.Services.AddHostedService<WebhookDispatcher>();
        builder.Services.AddAdminApi();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = GracefulShutdown.Timeout());

        var app = builder.Build();
        app.MapAdminConsole();
        app.MapAdminApi();
        var dispatcher = app.Services.GetRequiredService<ScimDispatcher>();
        var accessLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Roster.Scim.Access");
        app.Map(ScimDispatcher.Prefix + "/{**rest}", async context =>
        {
            var started = Stopwatch.GetTimestamp();
            await dispatcher.HandleAsync(context);
            // The path without its query: filters carry email addresses, which an access log needs not keep.
            ScimAccessLog.Served(accessLog, context.Request.Method, context.Request.Path, context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        SamlEndpoints.Map(app, app.Services.GetRequiredService<SamlSignIn>());
        SessionEndpoints.Map(app, directory);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapRosterOperations();
        app.MapGet("/", () => Results.Text("Roster is running. SCIM 2.0 endpoints: /scim/v2/{enterprise}/Users; admin console: /console\n"));

        await app.StartAsync(cancellationToken);
        return new RosterServer(app);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the server (letting requests and webhook sends in flight finish); a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    int disposed;
}
