using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Lifecycle;

namespace Skia.Pool.Api.Telemetry;

/// <summary>
/// OpenTelemetry for the service: the <c>Skia.Pool</c> meter (plus ASP.NET Core's and HttpClient's with
/// <c>Pool:HttpMetrics</c>) behind a Prometheus scrape endpoint, always; when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set, OTLP export of those and of traces (the <c>Skia.Pool</c> activity source plus ASP.NET Core and
/// HttpClient spans). No console exporter, so nothing is printed by default.
/// </summary>
internal static class TelemetryServiceCollectionExtensions
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private const string HttpClientMeter = "System.Net.Http";

    // Bounded, and not chosen by a client: no server.address, server.port or network.peer.address.
    private static readonly string[] HttpClientLabels =
        ["http.request.method", "http.response.status_code", "network.protocol.version", "url.scheme", "error.type", "http.connection.state"];

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
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(PoolTelemetry.Name)
                    // A scrape always shows the state of now, not a copy up to 300 ms old.
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (HttpMetricsEnabled(builder.Configuration))
                {
                    metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                        // HttpClient labels a forwarded request with the host it names, which is the client's
                        // own Host header: as a label, any client could mint new series at will.
                        .AddView(instrument => instrument.Meter.Name == HttpClientMeter
                            ? new MetricStreamConfiguration { TagKeys = HttpClientLabels }
                            : null);
                }
            });

        // Spans are only worth their cost (two activities, their tags and a traceparent header on every
        // proxied request: 5-8% of the service's CPU under load, docs/BENCHMARKS.md) when they go somewhere.
        if (OtlpEnabled(builder.Configuration))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(PoolTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = (activity, request) =>
                        activity.SetTag("url.path", IdRedaction.Path(request.Path.Value)))
                    .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
                        activity.SetTag("url.full", IdRedaction.Url(request.RequestUri))))
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary><c>Pool:HttpMetrics</c>: per-request histograms are opt-in (docs/operations.md says what they cost).</summary>
    internal static bool HttpMetricsEnabled(IConfiguration configuration) =>
        configuration.GetValue<bool>($"{PoolOptions.SectionName}:{nameof(PoolOptions.HttpMetrics)}");

    /// <summary>OTLP is opt-in: its settings (endpoint, protocol, headers) are the standard <c>OTEL_EXPORTER_OTLP_*</c> variables.</summary>
    internal static bool OtlpEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
}
