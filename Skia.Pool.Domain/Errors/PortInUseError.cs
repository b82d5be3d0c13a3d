using FluentResults;

namespace Skia.Pool.Domain.Errors;

/// <summary>
/// A slot's port is held by a process that is not the instance just started: the slot is skipped
/// (never proxied to) until a later cull tick finds it free again.
/// </summary>
public sealed class PortInUseError(int port)
    : Error($"Port {port} is held by another process; its slot is skipped (see Pool:StartPort).")
{
    public int Port { get; } = port;
}
