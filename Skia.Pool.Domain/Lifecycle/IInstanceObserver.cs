using FluentResults;
using Skia.Pool.Domain.Pooling;

namespace Skia.Pool.Domain.Lifecycle;

/// <summary>
/// What the lifecycle reports as it happens, for logs and metrics. Implementations must be quick
/// and must not throw: they are called on the lifecycle's own path.
/// </summary>
public interface IInstanceObserver
{
    void Started(InstanceSnapshot instance, TimeSpan duration);

    void StartFailed(InstanceSnapshot instance, IError error, TimeSpan duration);

    void Stopped(InstanceSnapshot instance, StopReason reason);

    void Exited(InstanceSnapshot instance, int exitCode);
}
