using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Api.Contracts;

/// <summary>What admins see of the pool, memory included: one place for the JSON routes and the admin page.</summary>
internal static class InstanceViews
{
    /// <summary>Every instance that is not free, then every blocked slot.</summary>
    public static IReadOnlyList<InstanceView> All(InstanceManager instances, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var live = instances.List();
        var memory = ProcessMemory.ResidentBytesOfTrees([.. live.Where(i => i.Pid is not null).Select(i => i.Pid!.Value)]);
        return [.. live.Select(i => i.ToView(now, Memory(memory, i.Pid)))
            .Concat(instances.BlockedSlots().Select(b => b.ToView()))];
    }

    /// <summary>The instance of <paramref name="id"/>; null when none runs.</summary>
    public static InstanceView? One(InstanceManager instances, InstanceId id, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(instances);
        if (instances.Status(id)?.Instance is not { } instance)
        {
            return null;
        }

        var memory = instance.Pid is { } pid ? ProcessMemory.ResidentBytesOfTrees([pid]) : new Dictionary<int, long>();
        return instance.ToView(now, Memory(memory, instance.Pid));
    }

    private static long? Memory(IReadOnlyDictionary<int, long> memory, int? pid) =>
        pid is { } p && memory.TryGetValue(p, out var bytes) ? bytes : null;
}
