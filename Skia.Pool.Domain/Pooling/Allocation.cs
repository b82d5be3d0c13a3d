using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Domain.Pooling;

/// <summary>
/// A slot assigned to a new owner. When the pool was full, <see cref="EvictedProcess"/> is the
/// process of the previous owner, which must be stopped before the new one is launched on the port.
/// </summary>
public sealed record Allocation(Slot Slot, long Generation, IProcessHandle? EvictedProcess);
