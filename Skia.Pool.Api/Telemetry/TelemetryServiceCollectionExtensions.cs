using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Skia.Pool.Domain.Lifecycle;

namespace Skia.Pool.Api.Telemetry;

/// <summary>
/// OpenTelemetry for the service: the <c>Skia.Pool</c> meter and activity source plus ASP.NET Core and
/// HttpClient instrumentation; a Prometheus scrape endpoint always, OTLP export only when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; no console exporter, so nothing is printed by default.
/// </summary>
internal static class TelemetryServiceCollectionExtensions
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddPoolTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMetrics();
        services.AddSingleton<PoolMetrics>();
        services.AddHostedService<InstanceGauges>();
        services.AddSingleton<IInstanceObserver>(sp => new CompositeInstanceObserver(
        [
            ActivatorUtilities.CreateInstance<LoggingInstanceObserver>(sp),
            new MetricsInstanceObserver(sp.GetRequiredService<PoolMetrics>()),
            new TracingInstanceObserver(),
        ]));

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(PoolTelemetry.Name))
            .WithTracing(tracing => tracing
                .AddSource(PoolTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = (activity, request) =>
                    activity.SetTag("url.path", IdRedaction.Path(request.Path.Value)))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(PoolTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                // A scrape always shows the state of now, not a copy up to 300 ms old.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));

        if (OtlpEnabled(builder.Configuration))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>OTLP is opt-in: its settings (endpoint, protocol, headers) are the standard <c>OTEL_EXPORTER_OTLP_*</c> variables.</summary>
    internal static bool OtlpEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
}
