using FluentResults;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Pooling;
using Yarp.ReverseProxy.Forwarder;

namespace Skia.Pool.Api.Telemetry;

/// <summary>
/// The tag values metrics and spans carry: lower-case, hyphenated, stable (dashboards and alerts match on
/// them; docs/operations.md lists them).
/// </summary>
internal static class TelemetryNames
{
    public const string Started = "started";

    public static string Reason(StopReason reason) => reason switch
    {
        StopReason.CullLru => "cull-lru",
        StopReason.Idle => "idle",
        StopReason.MaxAge => "max-age",
        StopReason.Evicted => "evicted",
        StopReason.Restart => "restart",
        StopReason.Exit => "exit",
        StopReason.Shutdown => "shutdown",
        StopReason.Admin => "admin",
        StopReason.StartFailed => "start-failed",
        _ => "other",
    };

    /// <summary>How a start ended: <see cref="Started"/>, or the kind of its error.</summary>
    public static string Outcome(IError? error) => error switch
    {
        null => Started,
        NotReadyError => "not-ready",
        PortInUseError => "port-in-use",
        _ => "failed",
    };

    /// <summary>Why the proxy could not get an instance to forward to.</summary>
    public static string ProxyErrorKind(IError error) => error switch
    {
        PoolFullError => "pool-full",
        NotReadyError => "not-ready",
        UnknownInstanceError => "unknown-instance",
        _ => "start-failed",
    };

    /// <summary>What went wrong while forwarding, from YARP's error: <c>RequestTimedOut</c> becomes <c>upstream-request-timed-out</c>.</summary>
    public static string ProxyErrorKind(ForwarderError error) => "upstream-" + Kebab(error.ToString());

    public static string State(SlotState state) => state.ToString().ToLowerInvariant();

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
