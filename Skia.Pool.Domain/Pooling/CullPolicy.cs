namespace Skia.Pool.Domain.Pooling;

/// <summary>
/// Which running instances a cull tick stops. Instances idle past <see cref="CullRules.IdleTimeout"/>
/// or older than <see cref="CullRules.MaxAge"/> go first; then, while fewer than
/// <see cref="CullRules.MinFreeSlots"/> slots are free, the least recently used go, oldest use first.
/// (Skia's original sorted oldest-first and then took the tail, stopping the newest instances.)
/// An instance serving a request right now is never chosen.
/// </summary>
public static class CullPolicy
{
    public static IReadOnlyList<CullDecision> Select(IReadOnlyList<Slot> slots, DateTimeOffset now, CullRules rules)
    {
        var chosen = new List<CullDecision>();
        var candidates = EvictionPolicy.Order(slots).Where(s => s.InFlight == 0).ToList();

        foreach (var slot in candidates)
        {
            if (rules.IdleTimeout is { } idle && now - slot.LastUsed > idle)
            {
                chosen.Add(new CullDecision(slot.Index, slot.Generation, StopReason.Idle));
            }
            else if (rules.MaxAge is { } maxAge && slot.StartedAt is { } started && now - started > maxAge)
            {
                chosen.Add(new CullDecision(slot.Index, slot.Generation, StopReason.MaxAge));
            }
        }

        // A stopping slot is as good as free: counting it avoids culling twice for the same room.
        var free = slots.Count(s => s.IsUsableFree || s.State == SlotState.Stopping) + chosen.Count;
        var shortfall = rules.MinFreeSlots - free;
        if (shortfall > 0)
        {
            var taken = chosen.Select(c => c.SlotIndex).ToHashSet();
            chosen.AddRange(candidates
                .Where(s => !taken.Contains(s.Index))
                .Take(shortfall)
                .Select(s => new CullDecision(s.Index, s.Generation, StopReason.CullLru)));
        }

        return chosen;
    }
}
