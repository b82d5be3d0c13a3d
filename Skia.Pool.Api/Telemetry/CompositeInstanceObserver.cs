using FluentResults;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Pooling;

namespace Skia.Pool.Api.Telemetry;

/// <summary>Hands every lifecycle event to each observer in turn (logs, metrics, traces), so each stays one idea.</summary>
internal sealed class CompositeInstanceObserver(IReadOnlyList<IInstanceObserver> observers) : IInstanceObserver
{
    public void Starting(InstanceSnapshot instance)
    {
        foreach (var observer in observers)
        {
            observer.Starting(instance);
        }
    }

    public void Started(InstanceSnapshot instance, TimeSpan duration)
    {
        foreach (var observer in observers)
        {
            observer.Started(instance, duration);
        }
    }

    public void StartFailed(InstanceSnapshot instance, IError error, TimeSpan duration)
    {
        foreach (var observer in observers)
        {
            observer.StartFailed(instance, error, duration);
        }
    }

    public void Stopping(InstanceSnapshot instance, StopReason reason)
    {
        foreach (var observer in observers)
        {
            observer.Stopping(instance, reason);
        }
    }

    public void Stopped(InstanceSnapshot instance, StopReason reason)
    {
        foreach (var observer in observers)
        {
            observer.Stopped(instance, reason);
        }
    }

    public void Exited(InstanceSnapshot instance, int exitCode)
    {
        foreach (var observer in observers)
        {
            observer.Exited(instance, exitCode);
        }
    }
}
