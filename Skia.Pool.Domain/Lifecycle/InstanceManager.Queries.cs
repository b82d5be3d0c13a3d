using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Pooling;

namespace Skia.Pool.Domain.Lifecycle;

// What the manager reports (under its lock), and the lease bookkeeping behind "in use".
public sealed partial class InstanceManager
{
    /// <summary>Slots skipped because a foreign process holds their port (until the next cull tick).</summary>
    public IReadOnlyList<BlockedSlot> BlockedSlots()
    {
        lock (_gate)
        {
            return [.. _pool.Slots.Where(s => s.PortBlocked).Select(s => new BlockedSlot(s.Index, s.Port))];
        }
    }

    public IReadOnlyList<InstanceSnapshot> List()
    {
        lock (_gate)
        {
            return [.. _pool.Slots.Where(s => s.State != SlotState.Free).Select(InstanceSnapshot.Of)];
        }
    }

    /// <summary>The status of <paramref name="id"/>; null when it neither runs nor ever exited here.</summary>
    public InstanceStatus? Status(InstanceId id)
    {
        lock (_gate)
        {
            var slot = _pool.Find(id);
            var exit = _exits.Find(id);
            return slot is null && exit is null ? null : new InstanceStatus(slot is null ? null : InstanceSnapshot.Of(slot), exit);
        }
    }

    /// <summary>True while <paramref name="id"/> has a slot (starting, running or stopping); cheap enough for every request.</summary>
    public bool HasInstance(InstanceId id)
    {
        lock (_gate)
        {
            return _pool.Find(id) is not null;
        }
    }

    /// <summary>False once shutdown has begun: no new instance will be started.</summary>
    public bool AcceptsStarts
    {
        get
        {
            lock (_gate)
            {
                return !_closed;
            }
        }
    }

    public int FreeSlots
    {
        get
        {
            lock (_gate)
            {
                return _pool.FreeCount;
            }
        }
    }

    internal void Touch(InstanceLease lease)
    {
        lock (_gate)
        {
            _pool.EndUse(lease.Slot, lease.Generation, _clock.UtcNow);
            _pool.BeginUse(lease.Slot, lease.Generation, _clock.UtcNow);
        }
    }

    internal void Release(InstanceLease lease)
    {
        lock (_gate)
        {
            _pool.EndUse(lease.Slot, lease.Generation, _clock.UtcNow);
        }
    }
}
