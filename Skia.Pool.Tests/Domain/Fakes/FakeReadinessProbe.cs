using FluentResults;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Tests.Domain.Fakes;

/// <summary>
/// An <see cref="IReadinessProbe"/> that answers at once (ready, or <see cref="Failure"/>), or, for
/// a blocked port, waits until the test completes that port's gate with the outcome it wants.
/// </summary>
public sealed class FakeReadinessProbe : IReadinessProbe
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, TaskCompletionSource<Result>> _gates = [];

    public CallCounter Calls { get; } = new();

    /// <summary>When set, probes fail with this error (a <c>NotReadyError</c> or <c>StartFailedError</c>).</summary>
    public IError? Failure { get; set; }

    /// <summary>When set, probes throw it: a probe that breaks its own contract.</summary>
    public Exception? Throws { get; set; }

    /// <summary>Holds probes of <paramref name="port"/> until the returned gate gets their outcome.</summary>
    public TaskCompletionSource<Result> Block(int port)
    {
        var gate = new TaskCompletionSource<Result>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _gates[port] = gate;
        }

        return gate;
    }

    public async Task<Result> WaitUntilReadyAsync(int port, IProcessHandle process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource<Result>? gate;
        lock (_lock)
        {
            gate = _gates.GetValueOrDefault(port);
        }

        Calls.Increment();
        if (gate is not null)
        {
            return await gate.Task;
        }

        if (Throws is { } exception)
        {
            throw exception;
        }

        return Failure is { } failure ? Result.Fail(failure) : Result.Ok();
    }
}
