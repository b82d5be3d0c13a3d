using FluentResults;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Domain.Pooling;

/// <summary>
/// The aggregate over all slots: who owns which slot, and every state change, each checked against
/// the slot generation it was decided under. Pure and single-threaded: the caller holds one lock
/// around each call, and nothing here waits, sleeps or does I/O.
/// (DESIGN.md calls it Pool; a type of that name would be shadowed by the namespace Skia.Pool.)
/// </summary>
public sealed class SlotPool
{
    private readonly Slot[] _slots;
    private readonly Dictionary<InstanceId, Slot> _byOwner = [];
    private readonly TimeSpan _evictAfterIdle;

    public SlotPool(PoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _evictAfterIdle = options.EvictAfterIdle;
        _slots = [.. Enumerable.Range(0, options.MaxInstances)
            .Select(i => new Slot(i, options.PortOf(i), options.DisplayOf(i)))];
    }

    public IReadOnlyList<Slot> Slots => _slots;

    /// <summary>Slots a new owner could be given right now (free, port not blocked).</summary>
    public int FreeCount => _slots.Count(s => s.IsUsableFree);

    public Slot? Find(InstanceId id) => _byOwner.GetValueOrDefault(id);

    /// <summary>
    /// Gives <paramref name="id"/> a slot: the free one with the lowest index, else the least recently
    /// used idle instance's (see <see cref="EvictionPolicy"/>), else <see cref="PoolFullError"/>.
    /// </summary>
    public Result<Allocation> Allocate(InstanceId id, DateTimeOffset now)
    {
        if (_byOwner.ContainsKey(id))
        {
            throw new InvalidOperationException($"Instance {id.Short} already has a slot.");
        }

        var slot = Array.Find(_slots, s => s.IsUsableFree);
        EvictedInstance? evicted = null;
        if (slot is null)
        {
            slot = EvictionPolicy.ChooseVictim(_slots, now, _evictAfterIdle);
            if (slot is null)
            {
                return Result.Fail(new PoolFullError(_slots.Length, EvictionPolicy.RetryAfter(_slots, now, _evictAfterIdle)));
            }

            evicted = new EvictedInstance(slot.Owner!.Value, slot.Generation, slot.Process!, slot.StartedAt, slot.LastUsed);
            _byOwner.Remove(evicted.Owner);
        }

        slot.Assign(id, now);
        _byOwner[id] = slot;
        return new Allocation(slot, slot.Generation, evicted);
    }

    /// <summary>Records the launched process of a start; false when the slot has moved on.</summary>
    public bool AttachProcess(int index, long generation, IProcessHandle process, DateTimeOffset now)
    {
        var slot = Current(index, generation, SlotState.Starting);
        slot?.AttachProcess(process, now);
        return slot is not null;
    }

    /// <summary>The instance answered HTTP: it is Running.</summary>
    public bool MarkRunning(int index, long generation, DateTimeOffset now)
    {
        var slot = Current(index, generation, SlotState.Starting);
        slot?.MarkRunning(now);
        return slot is not null;
    }

    /// <summary>
    /// Starts stopping the running instance of this generation and returns its process; false when
    /// the slot has moved on, is still starting (a start is awaited, never cut short), or is stopping already.
    /// </summary>
    public bool TryBeginStop(int index, long generation, out IProcessHandle? process)
    {
        process = null;
        var slot = Current(index, generation, SlotState.Running);
        if (slot is null)
        {
            return false;
        }

        process = slot.Process;
        slot.MarkStopping();
        return true;
    }

    /// <summary>Frees the slot after a stop or a failed start of this generation.</summary>
    public bool Release(int index, long generation)
    {
        var slot = _slots[index];
        if (slot.Generation != generation || slot.State == SlotState.Free)
        {
            return false;
        }

        _byOwner.Remove(slot.Owner!.Value);
        slot.Release();
        return true;
    }

    /// <summary>
    /// The running process of this generation exited by itself. The slot goes to Stopping, not Free:
    /// what remains of the process tree (a wrapper's children) must be stopped before the slot is
    /// reused. Exits of older generations, and exits during a start or a stop (whose own code frees
    /// the slot), change nothing and return false.
    /// </summary>
    public bool MarkExited(int index, long generation, out IProcessHandle? process) => TryBeginStop(index, generation, out process);

    /// <summary>
    /// A start of this generation found the slot's port held by another process: the slot is freed and
    /// skipped by allocation until <see cref="UnblockPorts"/>.
    /// </summary>
    public bool BlockPort(int index, long generation)
    {
        var slot = Current(index, generation, SlotState.Starting);
        if (slot is null)
        {
            return false;
        }

        _byOwner.Remove(slot.Owner!.Value);
        slot.BlockPort();
        return true;
    }

    /// <summary>Clears every port mark, so blocked slots are tried (and their ports checked) again.</summary>
    public int UnblockPorts()
    {
        var blocked = _slots.Where(s => s.PortBlocked).ToList();
        blocked.ForEach(s => s.UnblockPort());
        return blocked.Count;
    }

    /// <summary>A request for this running instance begins: it is in use until <see cref="EndUse"/>.</summary>
    public bool BeginUse(int index, long generation, DateTimeOffset now)
    {
        var slot = Current(index, generation, SlotState.Running);
        slot?.BeginUse(now);
        return slot is not null;
    }

    /// <summary>A request ends; ignored when the slot has moved on since it began.</summary>
    public void EndUse(int index, long generation, DateTimeOffset now)
    {
        var slot = _slots[index];
        if (slot.Generation == generation && slot.State is SlotState.Running or SlotState.Stopping)
        {
            slot.EndUse(now);
        }
    }

    private Slot? Current(int index, long generation, SlotState state)
    {
        var slot = _slots[index];
        return slot.Generation == generation && slot.State == state ? slot : null;
    }
}
