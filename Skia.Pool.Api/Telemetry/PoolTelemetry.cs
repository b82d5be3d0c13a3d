using System.Diagnostics;

namespace Skia.Pool.Api.Telemetry;

/// <summary>
/// The one name under which the pool publishes its own metrics (a <c>Meter</c>) and spans (an
/// <see cref="System.Diagnostics.ActivitySource"/>), and the tag keys they carry. No tag ever holds a full
/// instance id: spans carry the 8-hex <c>Short</c> form at most, metrics not even that.
/// </summary>
internal static class PoolTelemetry
{
    public const string Name = "Skia.Pool";

    public const string SlotTag = "skia_pool.slot";
    public const string InstanceTag = "skia_pool.instance";
    public const string OutcomeTag = "outcome";
    public const string ReasonTag = "reason";
    public const string StateTag = "state";
    public const string KindTag = "kind";
    public const string PhaseTag = "phase";
    public const string ForwarderTag = "forwarder";

    public static readonly ActivitySource ActivitySource = new(Name);
}
