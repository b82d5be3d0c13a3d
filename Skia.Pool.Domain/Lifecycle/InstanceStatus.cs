namespace Skia.Pool.Domain.Lifecycle;

/// <summary>What the status route reports: the live instance, if any, and how the last process exited, if it did.</summary>
public sealed record InstanceStatus(InstanceSnapshot? Instance, ExitRecord? LastExit);
