namespace Skia.Pool.Domain.Pooling;

/// <summary>Which running instance a full pool gives up first: the least recently used one.</summary>
public static class EvictionPolicy
{
    /// <summary>Running slots, least recently used first (ties broken by slot index, so the order is total).</summary>
    public static IReadOnlyList<Slot> Order(IEnumerable<Slot> slots) =>
        [.. slots.Where(s => s.State == SlotState.Running).OrderBy(s => s.LastUsed).ThenBy(s => s.Index)];

    /// <summary>
    /// The least recently used running slot that serves no request and has been idle at least
    /// <paramref name="evictAfterIdle"/>; null when none qualifies.
    /// </summary>
    public static Slot? ChooseVictim(IEnumerable<Slot> slots, DateTimeOffset now, TimeSpan evictAfterIdle) =>
        Order(slots).FirstOrDefault(s => s.InFlight == 0 && now - s.LastUsed >= evictAfterIdle);

    /// <summary>How long until some slot may be evicted: what a refused client is told to wait (at least one second).</summary>
    public static TimeSpan RetryAfter(IEnumerable<Slot> slots, DateTimeOffset now, TimeSpan evictAfterIdle)
    {
        var waits = Order(slots)
            .Where(s => s.InFlight == 0)
            .Select(s => evictAfterIdle - (now - s.LastUsed))
            .ToList();
        var wait = waits.Count == 0 ? evictAfterIdle : waits.Min();
        return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
    }
}
