using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Pooling;

namespace Skia.Pool.Domain.Lifecycle;

/// <summary>A consistent copy of one slot's state, taken under the pool's lock.</summary>
public sealed record InstanceSnapshot(
    InstanceId Id,
    int Slot,
    int Port,
    int? Pid,
    SlotState State,
    DateTimeOffset? StartedAt,
    DateTimeOffset LastUsed,
    int InFlight,
    long Generation)
{
    internal static InstanceSnapshot Of(Slot slot) =>
        new(slot.Owner!.Value, slot.Index, slot.Port, slot.Pid, slot.State, slot.StartedAt, slot.LastUsed, slot.InFlight, slot.Generation);
}
