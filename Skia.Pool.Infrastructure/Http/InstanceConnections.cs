using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// The one pool of HTTP connections to every instance, shared by the readiness probe and the proxy. A
/// probe's connection is kept, so the first forwarded request reuses it instead of opening a second
/// connection to an instance that has only just booted (that second connection cost 7–13 ms of a cold
/// start here, docs/BENCHMARKS.md).
/// </summary>
/// <remarks>
/// The handler pools connections by host and port only, and a slot's port outlives every process that
/// listens on it. A pooled connection is not known to be closed just because the process it was made to
/// has gone: the peer may be a stranger that answered a probe (and failed the listener check) and kept
/// the connection open, or a process that escaped its instance's tree holding it. So every connection
/// is tracked by port, and <see cref="CloseConnections"/> ends them all before a new process on that
/// port is probed: no request is ever sent over a connection made before its instance was started.
/// The connection a probe leaves behind is kept only when the instance's tree holds its other end
/// (<see cref="LocalPortsTo"/>; the readiness probe checks): whatever answered the probe may have been a
/// stranger that gave the port up to the instance just before the listener check.
/// </remarks>
public sealed class InstanceConnections : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, HashSet<TrackedStream>> _open = [];

    /// <param name="propagator">
    /// Trace headers for forwarded requests, or null to send the client's own unchanged (and skip
    /// HttpClient's diagnostics handler on every request) when spans are not recorded.
    /// </param>
    public InstanceConnections(DistributedContextPropagator? propagator)
    {
        _handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = false,
            ActivityHeadersPropagator = propagator,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ConnectCallback = ConnectAsync,
        };
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    /// <summary>For forwarding (YARP takes an invoker).</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>A client over the same connections; its own timeout is off, the caller's cancellation governs.</summary>
    public HttpClient CreateClient() => new(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>
    /// Ends every connection made so far to <paramref name="port"/>, idle or in use: the pool sees them as
    /// closed by the peer and never sends another request over them.
    /// </summary>
    public void CloseConnections(int port)
    {
        TrackedStream[] streams;
        lock (_gate)
        {
            if (!_open.Remove(port, out var set))
            {
                return;
            }

            streams = [.. set];
        }

        foreach (var stream in streams)
        {
            stream.ShutDown();
        }
    }

    /// <summary>The local ports of the connections to <paramref name="port"/> that are open now.</summary>
    public IReadOnlyList<int> LocalPortsTo(int port)
    {
        lock (_gate)
        {
            return _open.TryGetValue(port, out var set) ? [.. set.Select(s => s.LocalPort)] : [];
        }
    }

    public void Dispose()
    {
        Invoker.Dispose();
        _handler.Dispose();
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new TrackedStream(socket, this, context.DnsEndPoint.Port);
        lock (_gate)
        {
            if (!_open.TryGetValue(stream.Port, out var set))
            {
                _open[stream.Port] = set = [];
            }

            set.Add(stream);
        }

        return stream;
    }

    private void Untrack(TrackedStream stream)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(stream.Port, out var set) && set.Remove(stream) && set.Count == 0)
            {
                _open.Remove(stream.Port);
            }
        }
    }

    /// <summary>A connection's stream that leaves the tracking when the pool disposes it.</summary>
    private sealed class TrackedStream(Socket socket, InstanceConnections owner, int port) : NetworkStream(socket, ownsSocket: true)
    {
        public int Port { get; } = port;

        public int LocalPort { get; } = ((IPEndPoint)socket.LocalEndPoint!).Port;

        /// <summary>Shuts the socket down both ways: reads see the end of the stream, as if the peer had closed.</summary>
        public void ShutDown()
        {
            try
            {
                Socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                owner.Untrack(this);
            }

            base.Dispose(disposing);
        }
    }
}
