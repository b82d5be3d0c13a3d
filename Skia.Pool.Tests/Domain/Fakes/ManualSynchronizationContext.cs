namespace Skia.Pool.Tests.Domain.Fakes;

/// <summary>
/// Runs work posted to it (such as the continuation after <c>Task.Yield</c>) only when the test pumps
/// it, on the test's thread. Pumping until idle proves that a start has gone as far as it can
/// without waiting on anything, so "it has not launched" is a fact, not a race.
/// </summary>
public sealed class ManualSynchronizationContext : SynchronizationContext
{
    private readonly Lock _lock = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_lock)
        {
            _queue.Enqueue((d, state));
        }
    }

    /// <summary>Calls <paramref name="action"/> with this context current, then runs posted work until none is left.</summary>
    public T RunUntilIdle<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            var result = action();
            while (TryDequeue(out var work))
            {
                work.Callback(work.State);
            }

            return result;
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private bool TryDequeue(out (SendOrPostCallback Callback, object? State) work)
    {
        lock (_lock)
        {
            return _queue.TryDequeue(out work);
        }
    }
}
