namespace Skia.Pool.Api.Contracts;

/// <summary>
/// <c>GET /{id}/instanceStatus</c>. <see cref="Started"/> keeps the Skia original's contract (Unix seconds).
/// </summary>
/// <param name="State">starting, running or stopping.</param>
/// <param name="Started">When the process was launched, in Unix seconds (null while it is being launched).</param>
/// <param name="UptimeSeconds">Seconds since <paramref name="Started"/>.</param>
/// <param name="LastUsed">When a request last began or ended, in Unix seconds.</param>
/// <param name="Pid">The instance's process id.</param>
/// <param name="Port">The loopback port the instance listens on.</param>
/// <param name="Slot">The pool slot.</param>
public sealed record InstanceStatusResponse(
    string State, long? Started, double? UptimeSeconds, long LastUsed, int? Pid, int Port, int Slot);
