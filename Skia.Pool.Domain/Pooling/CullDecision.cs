namespace Skia.Pool.Domain.Pooling;

/// <summary>One instance culling wants stopped, the generation it saw, and why.</summary>
public sealed record CullDecision(int SlotIndex, long Generation, StopReason Reason);
