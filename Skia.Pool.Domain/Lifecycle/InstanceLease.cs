namespace Skia.Pool.Domain.Lifecycle;

/// <summary>
/// A running instance held for the length of one request (or one WebSocket): while any lease is
/// open the instance is in use, so it is never culled or evicted. Dispose exactly once per acquire.
/// </summary>
public sealed class InstanceLease : IDisposable
{
    private readonly InstanceManager _manager;
    private int _disposed;

    internal InstanceLease(InstanceManager manager, int slot, long generation, int port)
    {
        _manager = manager;
        Slot = slot;
        Generation = generation;
        Port = port;
    }

    public int Slot { get; }

    public long Generation { get; }

    /// <summary>The loopback port the instance listens on.</summary>
    public int Port { get; }

    /// <summary>Counts as use without ending the lease (a WebSocket message, say).</summary>
    public void Touch() => _manager.Touch(this);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _manager.Release(this);
        }
    }
}
