using System.Net.Sockets;

namespace Skia.Pool.Infrastructure.Http;

/// <summary>Ending a connection to an instance both ways, which may already be closed.</summary>
internal static class SocketEnds
{
    /// <summary>Shuts the socket down both ways: a pending receive sees the end of the stream, as if the peer had closed.</summary>
    public static void ShutDownBoth(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
