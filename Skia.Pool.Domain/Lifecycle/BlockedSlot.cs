namespace Skia.Pool.Domain.Lifecycle;

/// <summary>A slot skipped because a process the pool did not start holds its port.</summary>
public sealed record BlockedSlot(int Slot, int Port);
