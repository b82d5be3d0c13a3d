namespace Skia.Pool.Api.Contracts;

/// <summary>One instance as an operator sees it in <c>GET /instances</c>.</summary>
/// <param name="Id">The full instance id (a credential: shown to admins only); null for a blocked slot.</param>
/// <param name="Slot">The pool slot.</param>
/// <param name="Port">The loopback port the instance listens on.</param>
/// <param name="Pid">The instance's process id, once launched.</param>
/// <param name="State">starting, running, stopping, or blocked (a foreign process holds the slot's port).</param>
/// <param name="Started">When the process was launched, in Unix seconds.</param>
/// <param name="LastUsed">When a request last began or ended, in Unix seconds.</param>
/// <param name="UptimeSeconds">Seconds since launch.</param>
/// <param name="InFlight">Requests and WebSockets open right now.</param>
/// <param name="RssBytes">Resident memory of the instance's whole process tree (VmRSS summed), when known.</param>
public sealed record InstanceView(
    string? Id, int Slot, int Port, int? Pid, string State, long? Started, long LastUsed, double? UptimeSeconds, int InFlight, long? RssBytes);
