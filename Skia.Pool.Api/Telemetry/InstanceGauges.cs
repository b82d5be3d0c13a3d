using System.Diagnostics.Metrics;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Pooling;

namespace Skia.Pool.Api.Telemetry;

/// <summary>
/// The gauges of the <c>Skia.Pool</c> meter, read from the manager at each collection: instances by state
/// (every state reported, zeros included, so a scrape always shows the whole picture) and free slots.
/// A hosted service only so that the gauges exist from the start, before anything asks for them.
/// </summary>
internal sealed class InstanceGauges : IHostedService
{
    private static readonly string[] States =
        [TelemetryNames.State(SlotState.Starting), TelemetryNames.State(SlotState.Running), TelemetryNames.State(SlotState.Stopping), "blocked"];

    private readonly InstanceManager _instances;

    public InstanceGauges(IMeterFactory meterFactory, InstanceManager instances)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _instances = instances;
        var meter = meterFactory.Create(PoolTelemetry.Name);
        meter.CreateObservableGauge("skia_pool.instances", ObserveStates, "{instance}",
            "Instances by state: starting, running, stopping, and blocked (slots whose port a foreign process holds).");
        meter.CreateObservableGauge("skia_pool.free_slots", () => _instances.FreeSlots, "{slot}",
            "Slots a new instance could be given right now.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<int>> ObserveStates()
    {
        var counts = _instances.List().GroupBy(i => TelemetryNames.State(i.State)).ToDictionary(g => g.Key, g => g.Count());
        counts["blocked"] = _instances.BlockedSlots().Count;
        return States.Select(state => new Measurement<int>(
            counts.GetValueOrDefault(state), new KeyValuePair<string, object?>(PoolTelemetry.StateTag, state)));
    }
}
