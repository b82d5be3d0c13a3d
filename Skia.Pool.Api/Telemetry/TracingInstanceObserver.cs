using System.Collections.Concurrent;
using System.Diagnostics;
using FluentResults;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Pooling;

namespace Skia.Pool.Api.Telemetry;

/// <summary>
/// A span per instance start and per stop, tagged with the slot, the short id and the outcome or reason.
/// The start span is made current for the rest of the start, so the launch and readiness spans of
/// <see cref="InstrumentedProcessLauncher"/> and <see cref="InstrumentedReadinessProbe"/> become its children, and a
/// stop that a request caused (restart, admin) becomes a child of that request's span.
/// </summary>
internal sealed class TracingInstanceObserver : IInstanceObserver
{
    private readonly ConcurrentDictionary<(int Slot, long Generation), Activity> _starts = new();
    private readonly ConcurrentDictionary<(int Slot, long Generation), Activity> _stops = new();

    public void Starting(InstanceSnapshot instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        Begin(_starts, "skia_pool.instance.start", instance);
    }

    public void Started(InstanceSnapshot instance, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(instance);
        End(_starts, instance, PoolTelemetry.OutcomeTag, TelemetryNames.Started, ActivityStatusCode.Ok);
    }

    public void StartFailed(InstanceSnapshot instance, IError error, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(instance);
        End(_starts, instance, PoolTelemetry.OutcomeTag, TelemetryNames.Outcome(error), ActivityStatusCode.Error);
    }

    public void Stopping(InstanceSnapshot instance, StopReason reason)
    {
        ArgumentNullException.ThrowIfNull(instance);

        // A process that exits by itself is noticed by a watcher that still carries its (long finished)
        // start span as current; its stop is a trace of its own, not a late child of that start.
        if (Activity.Current is { IsStopped: true })
        {
            Activity.Current = null;
        }

        Begin(_stops, "skia_pool.instance.stop", instance)?.SetTag(PoolTelemetry.ReasonTag, TelemetryNames.Reason(reason));
    }

    public void Stopped(InstanceSnapshot instance, StopReason reason)
    {
        ArgumentNullException.ThrowIfNull(instance);
        End(_stops, instance, PoolTelemetry.ReasonTag, TelemetryNames.Reason(reason), ActivityStatusCode.Unset);
    }

    public void Exited(InstanceSnapshot instance, int exitCode)
    {
    }

    private static Activity? Begin(ConcurrentDictionary<(int, long), Activity> open, string name, InstanceSnapshot instance)
    {
        var activity = PoolTelemetry.ActivitySource.StartActivity(name);
        if (activity is null)
        {
            return null; // nobody listens
        }

        activity.SetTag(PoolTelemetry.SlotTag, instance.Slot);
        activity.SetTag(PoolTelemetry.InstanceTag, instance.Id.Short);
        open[(instance.Slot, instance.Generation)] = activity;
        return activity;
    }

    private static void End(
        ConcurrentDictionary<(int, long), Activity> open, InstanceSnapshot instance, string tag, string value, ActivityStatusCode status)
    {
        if (!open.TryRemove((instance.Slot, instance.Generation), out var activity))
        {
            return;
        }

        activity.SetTag(tag, value);
        if (instance.Pid is { } pid)
        {
            activity.SetTag("process.pid", pid);
        }

        activity.SetStatus(status, status == ActivityStatusCode.Error ? value : null);
        activity.Stop();
    }
}
