using FluentResults;

namespace Skia.Pool.Domain.Ports;

/// <summary>Waits until a freshly launched instance answers HTTP.</summary>
public interface IReadinessProbe
{
    /// <summary>
    /// Succeeds once any HTTP response arrives on <paramref name="port"/>; fails with
    /// <c>NotReadyError</c> after <paramref name="timeout"/>, or with <c>StartFailedError</c> as soon as the process exits.
    /// </summary>
    Task<Result> WaitUntilReadyAsync(int port, IProcessHandle process, TimeSpan timeout, CancellationToken cancellationToken);
}
