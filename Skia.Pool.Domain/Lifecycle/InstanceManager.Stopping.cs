using Skia.Pool.Domain.Pooling;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Domain.Lifecycle;

// The stop path: a slot in Stopping until the whole process tree is gone, then Free.
public sealed partial class InstanceManager
{
    // Caller holds _gate.
    private Task? BeginStop(int index, long generation, StopReason reason) =>
        _pool.TryBeginStop(index, generation, out var process) ? TrackStop(index, process, reason) : null;

    // Caller holds _gate; the slot has just become Stopping.
    private Task TrackStop(int index, IProcessHandle? process, StopReason reason)
    {
        var stop = StopProcessAsync(InstanceSnapshot.Of(_pool.Slots[index]), process, reason);
        _stops[index] = stop;
        return stop;
    }

    private async Task StopProcessAsync(InstanceSnapshot instance, IProcessHandle? process, StopReason reason)
    {
        await Task.Yield(); // never run the stop under the caller's lock
        _observer.Stopping(instance, reason);
        try
        {
            if (process is not null)
            {
                await process.StopAsync(_options.StopGracePeriod).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_gate)
            {
                _stops.Remove(instance.Slot);
                _pool.Release(instance.Slot, instance.Generation);
            }

            _observer.Stopped(instance, reason);
        }
    }
}
