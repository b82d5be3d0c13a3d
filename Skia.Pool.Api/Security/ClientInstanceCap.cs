using Microsoft.Extensions.Options;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;

namespace Skia.Pool.Api.Security;

/// <summary>
/// <c>Pool:MaxInstancesPerClient</c>: how many instances one client address may have running. Checked where
/// an instance starts (its first request under <c>/{id}/</c>), not where an id is minted: anyone can make
/// up a well-formed id, so only the start is worth counting. An instance counts against the address that
/// started it until it is gone. Concurrent first requests from one client may overshoot by the few that
/// pass the check together.
/// </summary>
internal sealed class ClientInstanceCap(IOptions<PoolOptions> options, InstanceManager instances)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<InstanceId, string> _starters = [];

    /// <summary>False when starting <paramref name="id"/> for <paramref name="client"/> would exceed the cap.</summary>
    public bool TryClaim(InstanceId id, string client)
    {
        var cap = options.Value.MaxInstancesPerClient;
        if (cap == 0)
        {
            return true;
        }

        lock (_gate)
        {
            foreach (var gone in _starters.Keys.Where(i => instances.Status(i)?.Instance is null).ToList())
            {
                _starters.Remove(gone);
            }

            if (_starters.ContainsKey(id) || instances.Status(id)?.Instance is not null)
            {
                return true; // already running (or starting): this request starts nothing
            }

            if (_starters.Values.Count(c => c == client) >= cap)
            {
                return false;
            }

            _starters[id] = client;
            return true;
        }
    }
}
