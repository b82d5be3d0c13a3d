using Skia.Pool.Domain.Lifecycle;

namespace Skia.Pool.Api.Contracts;

/// <summary>Domain snapshots to wire shapes; states are lower-case words, times Unix seconds.</summary>
internal static class ContractMapping
{
    public static InstanceView ToView(this InstanceSnapshot s, DateTimeOffset now, long? rssBytes) => new(
        s.Id.ToString(), s.Slot, s.Port, s.Pid, StateName(s), s.StartedAt?.ToUnixTimeSeconds(), s.LastUsed.ToUnixTimeSeconds(),
        Uptime(s, now), s.InFlight, rssBytes);

    public static InstanceView ToView(this BlockedSlot b) => new(null, b.Slot, b.Port, null, "blocked", null, 0, null, 0, null);

    public static InstanceStatusResponse ToStatus(this InstanceSnapshot s, DateTimeOffset now) => new(
        StateName(s), s.StartedAt?.ToUnixTimeSeconds(), Uptime(s, now), s.LastUsed.ToUnixTimeSeconds(), s.Pid, s.Port, s.Slot);

    private static string StateName(InstanceSnapshot s) => s.State.ToString().ToLowerInvariant();

    private static double? Uptime(InstanceSnapshot s, DateTimeOffset now) =>
        s.StartedAt is { } started ? Math.Round((now - started).TotalSeconds, 3) : null;
}
