using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Pooling;

/// <summary>Puts slots into the states a test needs, through the pool's own transitions.</summary>
internal static class SlotPoolExtensions
{
    /// <summary>Allocates a slot for a new id, attaches a fake process and marks it Running at <paramref name="at"/>.</summary>
    public static Slot StartRunning(this SlotPool pool, DateTimeOffset at, int pid = FakeLauncher.FirstPid)
    {
        var allocation = pool.Allocate(InstanceId.New(), at).Value;
        pool.AttachProcess(allocation.Slot.Index, allocation.Generation, new FakeProcessHandle(pid), at);
        pool.MarkRunning(allocation.Slot.Index, allocation.Generation, at);
        return allocation.Slot;
    }

    /// <summary>One complete request at <paramref name="at"/>: the slot was last used then.</summary>
    public static void UseAt(this SlotPool pool, Slot slot, DateTimeOffset at)
    {
        pool.BeginUse(slot.Index, slot.Generation, at);
        pool.EndUse(slot.Index, slot.Generation, at);
    }

    /// <summary>A request that begins at <paramref name="at"/> and is still being served.</summary>
    public static void BeginUseAt(this SlotPool pool, Slot slot, DateTimeOffset at) =>
        pool.BeginUse(slot.Index, slot.Generation, at);

    public static void BeginStop(this SlotPool pool, Slot slot) =>
        pool.TryBeginStop(slot.Index, slot.Generation, out _);
}
