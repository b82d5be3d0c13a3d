using System.Diagnostics;
using FluentResults;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Api.Telemetry;

/// <summary>Wraps the readiness probe in a <c>skia_pool.instance.readiness</c> span (a child of the start span).</summary>
internal sealed class TracingReadinessProbe(IReadinessProbe inner) : IReadinessProbe
{
    public async Task<Result> WaitUntilReadyAsync(int port, IProcessHandle process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var activity = PoolTelemetry.ActivitySource.StartActivity("skia_pool.instance.readiness");
        var ready = await inner.WaitUntilReadyAsync(port, process, timeout, cancellationToken).ConfigureAwait(false);
        activity?.SetTag(PoolTelemetry.OutcomeTag, ready.IsSuccess ? "ready" : TelemetryNames.Outcome(ready.Errors[0]));
        if (ready.IsFailed)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }

        return ready;
    }
}
