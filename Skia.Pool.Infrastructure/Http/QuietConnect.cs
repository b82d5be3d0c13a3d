using System.Net;
using System.Net.Sockets;

namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// A TCP connect that reports a refusal as a value, not an exception. A readiness probe asks a booting
/// instance every millisecond or so, and nearly every ask is refused: <see cref="Socket.ConnectAsync(EndPoint, CancellationToken)"/>
/// throws (and the caller catches) a SocketException each time, which costs several times the connect
/// itself in CPU, taken from the instance that is booting on the same cores.
/// </summary>
internal static class QuietConnect
{
    /// <summary>True when <paramref name="socket"/> is connected to <paramref name="endpoint"/>; false when the connect failed.</summary>
    public static async ValueTask<bool> TryAsync(Socket socket, IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var args = new SocketAsyncEventArgs { RemoteEndPoint = endpoint };
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        args.Completed += (_, _) => done.TrySetResult();
        if (socket.ConnectAsync(args))
        {
            await using (cancellationToken.Register(static state => Socket.CancelConnectAsync((SocketAsyncEventArgs)state!), args).ConfigureAwait(false))
            {
                await done.Task.ConfigureAwait(false);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return args.SocketError == SocketError.Success;
    }
}
