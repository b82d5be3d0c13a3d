using System.Diagnostics;
using FluentResults;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Api.Telemetry;

/// <summary>
/// Wraps the launcher in a <c>skia_pool.instance.launch</c> span (a child of the start span) and records
/// how long the launch took as the <c>launch</c> phase of a start.
/// </summary>
internal sealed class InstrumentedProcessLauncher(IProcessLauncher inner, PoolMetrics? metrics = null) : IProcessLauncher
{
    public async Task<Result<IProcessHandle>> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var began = Stopwatch.GetTimestamp();
        using var activity = PoolTelemetry.ActivitySource.StartActivity("skia_pool.instance.launch");
        activity?.SetTag(PoolTelemetry.SlotTag, request.SlotIndex);
        var launched = await inner.LaunchAsync(request, cancellationToken).ConfigureAwait(false);
        metrics?.StartPhaseEnded(PoolMetrics.LaunchPhase, Stopwatch.GetElapsedTime(began));
        if (activity is not null)
        {
            activity.SetTag(PoolTelemetry.OutcomeTag, launched.IsSuccess ? "launched" : TelemetryNames.Outcome(launched.Errors[0]));
            if (launched.IsSuccess)
            {
                activity.SetTag("process.pid", launched.Value.Pid);
            }
            else
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }

        return launched;
    }
}
