using FluentResults;

namespace Skia.Pool.Domain.Errors;

/// <summary>Every slot is busy and none has been idle long enough to be evicted.</summary>
public sealed class PoolFullError(int maxInstances, TimeSpan retryAfter)
    : Error($"All {maxInstances} instance slots are in use and none has been idle long enough to be evicted (Pool:EvictAfterIdle).")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
