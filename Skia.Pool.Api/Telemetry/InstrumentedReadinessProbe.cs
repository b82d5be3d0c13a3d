using System.Diagnostics;
using FluentResults;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Api.Telemetry;

/// <summary>
/// Wraps the readiness probe in a <c>skia_pool.instance.readiness</c> span (a child of the start span) and
/// records how long the wait took as the <c>readiness</c> phase of a start.
/// </summary>
internal sealed class InstrumentedReadinessProbe(IReadinessProbe inner, PoolMetrics? metrics = null) : IReadinessProbe
{
    public async Task<Result> WaitUntilReadyAsync(int port, IProcessHandle process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var began = Stopwatch.GetTimestamp();
        using var activity = PoolTelemetry.ActivitySource.StartActivity("skia_pool.instance.readiness");
        var ready = await inner.WaitUntilReadyAsync(port, process, timeout, cancellationToken).ConfigureAwait(false);
        metrics?.StartPhaseEnded(PoolMetrics.ReadinessPhase, Stopwatch.GetElapsedTime(began));
        activity?.SetTag(PoolTelemetry.OutcomeTag, ready.IsSuccess ? "ready" : TelemetryNames.Outcome(ready.Errors[0]));
        if (ready.IsFailed)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }

        return ready;
    }
}
