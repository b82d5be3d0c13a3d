using FluentResults;

namespace Skia.Pool.Domain.Ports;

/// <summary>Starts the configured backend for one slot.</summary>
public interface IProcessLauncher
{
    /// <summary>Starts the process; fails (never throws) when it cannot be started at all.</summary>
    Task<Result<IProcessHandle>> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken);
}
