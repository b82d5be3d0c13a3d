using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Skia.Pool.Api.Health;
using Skia.Pool.Api.Hosting;
using Skia.Pool.Api.Problems;
using Skia.Pool.Api.Proxy;
using Skia.Pool.Api.Proxy.Front;
using Skia.Pool.Api.Proxy.Relay;
using Skia.Pool.Api.Security;
using Skia.Pool.Api.Telemetry;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Ports;
using Skia.Pool.Infrastructure.Http;
using Skia.Pool.Infrastructure.Processes;
using Skia.Pool.Infrastructure.Readiness;
using Skia.Pool.Infrastructure.Time;
using Yarp.ReverseProxy.Forwarder;

namespace Skia.Pool.Api.Configuration;

/// <summary>Everything the service registers, in one place, so Program.cs stays a table of contents.</summary>
internal static class PoolServiceCollectionExtensions
{
    public static WebApplicationBuilder AddPool(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddOptionsWithValidateOnStart<PoolOptions>()
            .BindConfiguration(PoolOptions.SectionName)
            .ValidateDataAnnotations();
        services.AddSingleton<IValidateOptions<PoolOptions>, PoolOptionsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<PoolOptions>>(KestrelLimits.Apply);
        // Kestrel's transport takes its memory from the factory in DI: 64 KiB blocks, not 4 KiB (uploads).
        services.AddSingleton<IMemoryPoolFactory<byte>, TransportMemoryPoolFactory>();
        // Kestrel's socket continuations go straight to the thread pool rather than through its own I/O
        // queues (one per core, each itself a thread-pool work item): one hand-off fewer per receive and
        // send. Measured with the front, four interleaved runs each: 0.65 -> 0.76x nginx's req/s at 32 x 1 KiB,
        // 0.67 -> 0.72x at 128, 64 KiB unchanged (docs/BENCHMARKS.md, seventh round).
        services.Configure<SocketTransportOptions>(sockets => sockets.IOQueueCount = 0);
        services.AddOptions<HostOptions>().Configure<IOptions<PoolOptions>>((host, pool) =>
            host.ShutdownTimeout = pool.Value.StopGracePeriod + TimeSpan.FromSeconds(10));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClock, SystemClock>();
        services.AddSingleton(sp => new InstanceRegistry(
            RegistryPath(sp.GetRequiredService<IOptions<PoolOptions>>().Value),
            sp.GetRequiredService<ILogger<InstanceRegistry>>()));
        services.AddSingleton<OrphanSweeper>();
        services.AddSingleton<OsProcessLauncher>();
        services.AddSingleton<IProcessLauncher>(sp => new InstrumentedProcessLauncher(sp.GetRequiredService<OsProcessLauncher>(), sp.GetRequiredService<PoolMetrics>()));
        // Trace headers are only worth setting on forwarded requests when spans are recorded.
        var tracing = TelemetryServiceCollectionExtensions.OtlpEnabled(builder.Configuration);
        services.AddSingleton(sp => new InstanceConnections(
            tracing ? new ReverseProxyPropagator(DistributedContextPropagator.Current) : null,
            sp.GetRequiredService<TimeProvider>(),
            InstanceForwarder.ActivityTimeout));
        services.AddSingleton<HttpReadinessProbe>();
        services.AddSingleton<IReadinessProbe>(sp => new InstrumentedReadinessProbe(sp.GetRequiredService<HttpReadinessProbe>(), sp.GetRequiredService<PoolMetrics>()));
        services.AddSingleton(sp => new InstanceManager(
            sp.GetRequiredService<IOptions<PoolOptions>>().Value,
            sp.GetRequiredService<IProcessLauncher>(),
            sp.GetRequiredService<IReadinessProbe>(),
            sp.GetRequiredService<IClock>(),
            sp.GetRequiredService<IInstanceObserver>()));

        services.AddHttpForwarder();
        services.AddSingleton(sp => new InstanceRelay(
            sp.GetRequiredService<InstanceConnections>(), sp.GetRequiredService<IOptions<PoolOptions>>().Value.Relay && !tracing));
        services.AddSingleton<InstanceForwarder>();
        services.AddSingleton<InstanceFront>();
        services.AddOptions<KestrelServerOptions>().Configure<IServiceProvider>((kestrel, sp) =>
        {
            // Every endpoint, whether from configuration, --urls or the default: the front takes what it can
            // and hands the rest of the connection on (TLS bytes, HTTP/2, anything unusual) untouched.
            // Off with the relay (and so while spans are exported), and with per-request HTTP metrics, which
            // only ASP.NET Core's pipeline records.
            var pool = sp.GetRequiredService<IOptions<PoolOptions>>().Value;
            if (pool.Front && !pool.HttpMetrics && sp.GetRequiredService<InstanceRelay>().Enabled)
            {
                var front = sp.GetRequiredService<InstanceFront>();
                kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(next => connection => front.ServeAsync(connection, next)));
            }
        });

        // Started in this order: leftovers of a killed run go before anything new starts. Stopped in
        // reverse: culling stops before the instances do.
        services.AddHostedService<StartupChecksService>();
        services.AddHostedService<OrphanSweepService>();
        services.AddHostedService<InstanceShutdownService>();
        services.AddHostedService<CullingService>();

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDefaults.Apply);
        // No "servers": the generator would fill it from the request's Host header, which a client controls.
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Servers?.Clear();
            return Task.CompletedTask;
        }));
        services.AddSingleton<ServiceReadiness>();
        services.AddSingleton<ClientInstanceCap>();
        services.AddCreationRateLimit();
        builder.AddPoolTelemetry();

        return builder;
    }

    private static string RegistryPath(PoolOptions options)
    {
        var directory = string.IsNullOrWhiteSpace(options.StateDirectory)
            ? Path.Combine(Path.GetTempPath(), "skia-pool-" + Environment.UserName) // one private folder per user
            : options.StateDirectory;
        return Path.Combine(directory, $"instances-{options.StartPort}.pids");
    }
}
