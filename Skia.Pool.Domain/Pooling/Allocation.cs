using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Domain.Pooling;

/// <summary>
/// A slot assigned to a new owner. When the pool was full, <see cref="Evicted"/> is the previous
/// owner, whose process must be stopped before the new one is launched on the port.
/// </summary>
public sealed record Allocation(Slot Slot, long Generation, EvictedInstance? Evicted)
{
    public IProcessHandle? EvictedProcess => Evicted?.Process;
}
