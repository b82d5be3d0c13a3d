using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Domain.Pooling;

/// <summary>The owner a full pool gave its slot away from, as it was just before the slot was reassigned.</summary>
public sealed record EvictedInstance(InstanceId Owner, long Generation, IProcessHandle Process, DateTimeOffset? StartedAt, DateTimeOffset LastUsed);
