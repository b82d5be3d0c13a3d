using System.Net;
using System.Net.Sockets;

namespace Skia.Pool.Tests.Integration.Support;

/// <summary>
/// Hands each test server its own block of slot ports, so servers running in parallel never share one,
/// and free ports for the servers themselves.
/// </summary>
internal static class PortRanges
{
    public const int BlockSize = 40;

    /// <summary>
    /// Where slot port blocks begin: 20000, or SKIA_POOL_TEST_PORT_BASE, so that two test runs on one
    /// machine (two checkouts) never hand out the same ports. Below Linux's ephemeral range
    /// (32768-60999): there, any outgoing connection's local port could take a slot's port.
    /// </summary>
    public static readonly int FirstBlock =
        int.TryParse(Environment.GetEnvironmentVariable("SKIA_POOL_TEST_PORT_BASE"), out var configured) ? configured : 20_000;
    private static int _next = -1;

    public static int NextBlock() => FirstBlock + (BlockSize * Interlocked.Increment(ref _next));

    /// <summary>A port nobody listens on right now (the kernel's choice; the tiny race is accepted).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
