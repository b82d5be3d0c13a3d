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

    /// <summary>False when starting <paramref name="id"/> for the client of <paramref name="context"/> would exceed the cap.</summary>
    public bool TryClaim(InstanceId id, HttpContext context)
    {
        var cap = options.Value.MaxInstancesPerClient;
        if (cap == 0)
        {
            return true;
        }

        // Every request under /{id}/ comes here: one that starts nothing must not pay for the count below.
        if (instances.HasInstance(id))
        {
            return true;
        }

        var client = ClientAddress.Of(context);

        lock (_gate)
        {
            foreach (var gone in _starters.Keys.Where(i => !instances.HasInstance(i)).ToList())
            {
                _starters.Remove(gone);
            }

            if (_starters.ContainsKey(id))
            {
                return true; // started in the meantime: this request starts nothing
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
