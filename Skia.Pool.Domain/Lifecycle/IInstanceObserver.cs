using FluentResults;
using Skia.Pool.Domain.Pooling;

namespace Skia.Pool.Domain.Lifecycle;

/// <summary>
/// What the lifecycle reports as it happens, for logs and metrics. Implementations must be quick
/// and must not throw: they are called on the lifecycle's own path.
/// </summary>
public interface IInstanceObserver
{
    /// <summary>A start begins (before the launch); <see cref="Started"/> or <see cref="StartFailed"/> follows.</summary>
    void Starting(InstanceSnapshot instance);

    void Started(InstanceSnapshot instance, TimeSpan duration);

    void StartFailed(InstanceSnapshot instance, IError error, TimeSpan duration);

    /// <summary>A stop begins (before the process tree is signalled); <see cref="Stopped"/> follows.</summary>
    void Stopping(InstanceSnapshot instance, StopReason reason);

    void Stopped(InstanceSnapshot instance, StopReason reason);

    void Exited(InstanceSnapshot instance, int exitCode);
}
