using FluentResults;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Pooling;

namespace Skia.Pool.Api.Telemetry;

/// <summary>Counts the lifecycle into <see cref="PoolMetrics"/>: starts by outcome with their duration, stops by reason.</summary>
internal sealed class MetricsInstanceObserver(PoolMetrics metrics) : IInstanceObserver
{
    public void Starting(InstanceSnapshot instance)
    {
    }

    public void Started(InstanceSnapshot instance, TimeSpan duration) => metrics.StartEnded(TelemetryNames.Started, duration);

    public void StartFailed(InstanceSnapshot instance, IError error, TimeSpan duration) =>
        metrics.StartEnded(TelemetryNames.Outcome(error), duration);

    public void Stopping(InstanceSnapshot instance, StopReason reason)
    {
    }

    public void Stopped(InstanceSnapshot instance, StopReason reason) => metrics.Stopped(TelemetryNames.Reason(reason));

    // A self-exit is also reported as Stopped with reason Exit once its tree is gone: counted there.
    public void Exited(InstanceSnapshot instance, int exitCode)
    {
    }
}
