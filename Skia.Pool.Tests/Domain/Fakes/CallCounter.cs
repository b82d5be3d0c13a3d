namespace Skia.Pool.Tests.Domain.Fakes;

/// <summary>Counts calls to a fake and lets a test await the n-th one instead of sleeping.</summary>
public sealed class CallCounter
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _count;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public int Increment()
    {
        List<TaskCompletionSource> reached;
        int count;
        lock (_lock)
        {
            count = ++_count;
            reached = [.. _waiters.Where(w => w.Count <= count).Select(w => w.Signal)];
            _waiters.RemoveAll(w => w.Count <= count);
        }

        reached.ForEach(signal => signal.TrySetResult());
        return count;
    }

    /// <summary>Completes once <paramref name="count"/> calls have been made (bounded, so a bug fails instead of hanging).</summary>
    public Task WhenReached(int count)
    {
        lock (_lock)
        {
            if (_count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WithTimeout();
        }
    }
}
