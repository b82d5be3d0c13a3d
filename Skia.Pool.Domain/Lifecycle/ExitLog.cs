using Skia.Pool.Domain.Instances;

namespace Skia.Pool.Domain.Lifecycle;

/// <summary>The last self-exit of recent instances, bounded so that churn cannot grow it without end.</summary>
internal sealed class ExitLog(int capacity)
{
    private readonly Dictionary<InstanceId, ExitRecord> _byId = [];
    private readonly Queue<InstanceId> _order = new();

    public void Record(InstanceId id, ExitRecord exit)
    {
        if (_byId.TryAdd(id, exit))
        {
            _order.Enqueue(id);
            while (_order.Count > capacity)
            {
                _byId.Remove(_order.Dequeue());
            }
        }
        else
        {
            _byId[id] = exit;
        }
    }

    public ExitRecord? Find(InstanceId id) => _byId.GetValueOrDefault(id);
}
