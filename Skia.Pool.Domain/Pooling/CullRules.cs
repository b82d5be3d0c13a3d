namespace Skia.Pool.Domain.Pooling;

/// <summary>The knobs culling obeys; <see cref="IdleTimeout"/> and <see cref="MaxAge"/> are off when null.</summary>
public sealed record CullRules(int MinFreeSlots, TimeSpan? IdleTimeout = null, TimeSpan? MaxAge = null)
{
    public static CullRules From(PoolOptions options) => new(options.MinFreeSlots, options.IdleTimeout, options.MaxAge);
}
