using System.Diagnostics.Metrics;

namespace Skia.Pool.Api.Telemetry;

/// <summary>
/// The counters and the histogram of the <c>Skia.Pool</c> meter (the gauges are <see cref="InstanceGauges"/>).
/// Tags are low-cardinality words only: never an id, a slot or a port.
/// </summary>
internal sealed class PoolMetrics
{
    private readonly Counter<long> _starts;
    private readonly Histogram<double> _startDuration;
    private readonly Counter<long> _stops;
    private readonly Counter<long> _proxyErrors;

    public PoolMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(PoolTelemetry.Name);
        _starts = meter.CreateCounter<long>("skia_pool.instance.starts", "{start}", "Instance starts, by outcome.");
        _startDuration = meter.CreateHistogram<double>("skia_pool.instance.start.duration", "s",
            "Time from the start's beginning (eviction, launch, readiness) to its outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _stops = meter.CreateCounter<long>("skia_pool.instance.stops", "{stop}", "Instance stops, by reason.");
        _proxyErrors = meter.CreateCounter<long>("skia_pool.proxy.errors", "{error}",
            "Requests under /{id}/ the proxy answered with an error of its own, by kind.");
    }

    public void StartEnded(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(PoolTelemetry.OutcomeTag, outcome);
        _starts.Add(1, tag);
        _startDuration.Record(duration.TotalSeconds, tag);
    }

    public void Stopped(string reason) => _stops.Add(1, new KeyValuePair<string, object?>(PoolTelemetry.ReasonTag, reason));

    public void ProxyError(string kind) => _proxyErrors.Add(1, new KeyValuePair<string, object?>(PoolTelemetry.KindTag, kind));
}
