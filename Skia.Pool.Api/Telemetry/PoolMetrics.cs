using System.Diagnostics.Metrics;

namespace Skia.Pool.Api.Telemetry;

/// <summary>
/// The counters and the histogram of the <c>Skia.Pool</c> meter (the gauges are <see cref="InstanceGauges"/>).
/// Tags are low-cardinality words only: never an id, a slot or a port.
/// </summary>
internal sealed class PoolMetrics
{
    public const string LaunchPhase = "launch";
    public const string ReadinessPhase = "readiness";

    /// <summary>The service's own HTTP/1.1 relay carried the request.</summary>
    public const string RelayForwarder = "relay";

    /// <summary>The front carried the request, straight off the client's connection (a plain GET or HEAD to a running instance).</summary>
    public const string FrontForwarder = "front";

    /// <summary>YARP carried the request (upgrades, HTTP/2, Expect, unusual headers, or the relay off).</summary>
    public const string YarpForwarder = "yarp";

    private readonly Counter<long> _starts;
    private readonly Histogram<double> _startDuration;
    private readonly Histogram<double> _startPhaseDuration;
    private readonly Counter<long> _stops;
    private readonly Counter<long> _proxyErrors;
    private readonly Counter<long> _forwarded;

    public PoolMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(PoolTelemetry.Name);
        _starts = meter.CreateCounter<long>("skia_pool.instance.starts", "{start}", "Instance starts, by outcome.");
        _startDuration = meter.CreateHistogram<double>("skia_pool.instance.start.duration", "s",
            "Time from the start's beginning (eviction, launch, readiness) to its outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        // Where a start's time goes: the launch is the pool's own cost; readiness is mostly the instance's
        // boot, plus the pool's lag in noticing it (at most one probe interval) and the listener check.
        _startPhaseDuration = meter.CreateHistogram<double>("skia_pool.instance.start.phase.duration", "s",
            "Time spent in one phase of a start: launch (process start) or readiness (until the first HTTP answer).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _stops = meter.CreateCounter<long>("skia_pool.instance.stops", "{stop}", "Instance stops, by reason.");
        _proxyErrors = meter.CreateCounter<long>("skia_pool.proxy.errors", "{error}",
            "Requests under /{id}/ the proxy answered with an error of its own, by kind.");
        _forwarded = meter.CreateCounter<long>("skia_pool.proxy.requests", "{request}",
            "Requests forwarded to an instance, by the forwarder that carried them (front, relay or yarp).");
    }

    public void StartEnded(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(PoolTelemetry.OutcomeTag, outcome);
        _starts.Add(1, tag);
        _startDuration.Record(duration.TotalSeconds, tag);
    }

    public void StartPhaseEnded(string phase, TimeSpan duration) =>
        _startPhaseDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(PoolTelemetry.PhaseTag, phase));

    public void Stopped(string reason) => _stops.Add(1, new KeyValuePair<string, object?>(PoolTelemetry.ReasonTag, reason));

    public void ProxyError(string kind) => _proxyErrors.Add(1, new KeyValuePair<string, object?>(PoolTelemetry.KindTag, kind));

    public void Forwarded(string forwarder) => _forwarded.Add(1, new KeyValuePair<string, object?>(PoolTelemetry.ForwarderTag, forwarder));
}
