using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Console;

namespace Skia.Pool.FakeServe;

/// <summary>The web application: Kestrel on loopback only, a quiet console, and the routes.</summary>
internal static class FakeServeApp
{
    /// <summary>The pool streams uploads of hundreds of MiB through; stay well above that.</summary>
    private const long MaxMultipartBodyBytes = 2L * 1024 * 1024 * 1024;

    public static WebApplication Create(FakeServeOptions options, DateTimeOffset startedAt)
    {
        // Slim: no HTTPS, no hosting startup assemblies, less to load, since the pool starts many instances.
        // No settings-file watcher: each one costs an inotify instance, of which a user has 128 by default,
        // and the pool (and its tests) start FakeServes by the hundred.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });

        // An instance inherits the pool's environment (ASPNETCORE_URLS, Kestrel__Endpoints__*, Logging__*):
        // none of it may add a listening address or make the console chatty, so configuration is exactly this.
        // The address goes in as "urls" rather than a Listen call: app configuration's "urls" wins over the
        // inherited ASPNETCORE_URLS silently, where a Listen call would log a warning about overriding it.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection([new(WebHostDefaults.ServerUrlsKey, options.Url)]);

        builder.Logging.ClearProviders()
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning)

            // A failed start is reported by Program in one line, not as a stack trace.
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical)
            .AddSimpleConsole(console => console.SingleLine = true);

        // stdout carries the one "listening" line; diagnostics go to stderr.
        builder.Services.Configure<ConsoleLoggerOptions>(
            console => console.LogToStandardErrorThreshold = LogLevel.Trace);

        var connections = new ConnectionCounter();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
            {
                connections.Count();
                return next(connection);
            }));
            kestrel.Limits.MaxRequestBodySize = null;
            if (options.KeepAlive is { } keepAlive)
            {
                kestrel.Limits.KeepAliveTimeout = keepAlive; // to close idle connections a proxy has pooled
            }
        });
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = MaxMultipartBodyBytes);

        // SIGTERM should end an instance promptly, within the pool's grace period, even with requests open.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.Services.AddSingleton<IHostLifetime>(new PassiveLifetime());

        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, FakeServeJsonContext.Default);

            // Raw targets and headers should read as sent when a person looks at /echo with curl.
            json.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });

        builder.Services.AddSingleton(connections);
        builder.Services.AddSingleton(new UploadStore());
        builder.Services.AddSingleton(new WhoAmI(Environment.ProcessId, options.Port, startedAt.UtcDateTime));

        var app = builder.Build();
        if (options.BasePath.Length > 0)
        {
            app.UsePathBase(options.BasePath);
        }

        if (options.Hang)
        {
            app.Run(context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        }

        app.UseRouting(); // after UsePathBase, so routes match the path below the base
        app.UseWebSockets();
        app.MapSkiaServe();
        app.MapProcessEndpoints();
        app.MapProbeEndpoints();
        app.MapSlowStreamEndpoints();
        app.MapWebSocketEcho();

        // "{**path}" rather than the default "{*path:nonfile}", which would leave "/favicon.ico" an empty 404.
        // A RequestDelegate, because the request delegate generator replaces the pattern of a Delegate
        // fallback with the default (https://github.com/dotnet/aspnetcore/issues/65992).
        app.MapFallback("{**path}", NotFoundAsync);
        return app;
    }

    private static Task NotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return context.Response.WriteAsync("not found\n", context.RequestAborted);
    }
}
