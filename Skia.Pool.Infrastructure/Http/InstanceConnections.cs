using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// The one pool of HTTP connections to every instance, shared by the readiness probe and the proxy. A
/// probe's connection is a relay connection and is kept, so the first request the relay forwards reuses
/// it instead of opening a second connection to an instance that has only just booted (that second
/// connection cost 7–13 ms of a cold start here, docs/BENCHMARKS.md). A first request YARP carries
/// (with the relay off, or tracing on) opens its own.
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
/// The service's own relay (plain HTTP/1.1 requests) keeps its connections here too, as
/// <see cref="RelayConnection"/>s, under the same rules; those that carry an exchange with no I/O for
/// the activity timeout are ended (the relay then answers 504, as YARP does).
/// </remarks>
public sealed class InstanceConnections : IDisposable
{
    /// <summary>Idle relay connections kept per instance; more are closed when returned.</summary>
    private const int MaxIdlePerPort = 256;

    private readonly SocketsHttpHandler _handler;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, HashSet<ITrackedConnection>> _open = [];
    private readonly Dictionary<int, Stack<RelayConnection>> _idle = [];
    private readonly TimeProvider _time;
    private readonly TimeSpan _activityTimeout;
    private readonly ITimer _quietSweep;

    /// <param name="propagator">
    /// Trace headers for forwarded requests, or null to send the client's own unchanged (and skip
    /// HttpClient's diagnostics handler on every request) when spans are not recorded.
    /// </param>
    /// <param name="time">Drives the sweep for quiet relay connections.</param>
    /// <param name="activityTimeout">How long a relay exchange may go without any I/O before it is ended.</param>
    public InstanceConnections(DistributedContextPropagator? propagator, TimeProvider time, TimeSpan activityTimeout)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _activityTimeout = activityTimeout;
        var sweepEvery = activityTimeout / 4 < TimeSpan.FromSeconds(30) ? activityTimeout / 4 : TimeSpan.FromSeconds(30);
        _quietSweep = time.CreateTimer(_ => EndQuietExchanges(), null, sweepEvery, sweepEvery);
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

            // Kestrel decodes request headers as UTF-8 (a cookie a script set with "é" in it): send them on as
            // UTF-8 too, the client's own bytes, where HttpClient would refuse anything beyond ASCII.
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        };
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    /// <summary>For forwarding (YARP takes an invoker).</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>
    /// Ends every connection made so far to <paramref name="port"/>, idle or in use: the pool sees them as
    /// closed by the peer and never sends another request over them.
    /// </summary>
    public void CloseConnections(int port)
    {
        ITrackedConnection[] connections;
        RelayConnection[] idle;
        lock (_gate)
        {
            idle = _idle.Remove(port, out var stack) ? [.. stack] : [];
            if (!_open.Remove(port, out var set))
            {
                return;
            }

            connections = [.. set];
        }

        foreach (var connection in connections)
        {
            connection.ShutDown();
        }

        foreach (var connection in idle)
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// A relay connection to <paramref name="port"/>: an idle one that is still open, or a new one. The
    /// caller gives it back with <see cref="Return"/> when its exchange left it reusable, else disposes it.
    /// </summary>
    public async ValueTask<RelayConnection> RentAsync(int port, CancellationToken cancellationToken)
    {
        while (TakeIdle(port) is { } idle)
        {
            // Checked on every reuse (one poll, no wait): an idle connection with anything to read is one the
            // instance closed, or one it sent bytes on unasked, which must never pass for the next answer.
            if (IsQuiet(idle.Socket))
            {
                idle.EnsureBuffer();
                idle.Touch();
                return idle;
            }

            idle.Dispose(); // closed by the instance while it sat idle (a keep-alive timeout), or not quiet
        }

        var socket = await ConnectSocketAsync(new DnsEndPoint("127.0.0.1", port), cancellationToken).ConfigureAwait(false);
        return Adopt(socket, port);
    }

    /// <summary>
    /// A new relay connection to <paramref name="port"/>, or null when nothing accepts there (refused,
    /// without an exception: the readiness probe asks this of a booting instance every few milliseconds).
    /// </summary>
    public async ValueTask<RelayConnection?> TryConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = NewSocket();
        try
        {
            if (!await QuietConnect.TryAsync(socket, new IPEndPoint(IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false))
            {
                socket.Dispose();
                return null;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return Adopt(socket, port);
    }

    /// <summary>Keeps a connection whose exchange ended cleanly for the next request to the same instance.</summary>
    public void Return(RelayConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.Reused = true;
        connection.ReleaseBuffer();
        lock (_gate)
        {
            // Ended by CloseConnections (the instance stopped or restarted) while in use: never reused.
            if (!connection.EndedByPool && _open.TryGetValue(connection.Port, out var set) && set.Contains(connection))
            {
                if (!_idle.TryGetValue(connection.Port, out var stack))
                {
                    _idle[connection.Port] = stack = new Stack<RelayConnection>();
                }

                if (stack.Count < MaxIdlePerPort)
                {
                    stack.Push(connection);
                    return;
                }
            }
        }

        connection.Dispose();
    }

    /// <summary>The local ports of the connections to <paramref name="port"/> that are open now.</summary>
    public IReadOnlyList<int> LocalPortsTo(int port)
    {
        lock (_gate)
        {
            return _open.TryGetValue(port, out var set) ? [.. set.Select(c => c.LocalPort)] : [];
        }
    }

    public void Dispose()
    {
        _quietSweep.Dispose();
        Invoker.Dispose();
        _handler.Dispose();
        RelayConnection[] idle;
        lock (_gate)
        {
            idle = [.. _idle.Values.SelectMany(stack => stack)];
            _idle.Clear();
        }

        foreach (var connection in idle)
        {
            connection.Dispose();
        }
    }

    internal void Untrack(RelayConnection connection) => Untrack(connection.Port, connection);

    // Dual mode (IPv6 with IPv4 mapped), as every connection to an instance is made.
    private static Socket NewSocket() => new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    private static async ValueTask<Socket> ConnectSocketAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = NewSocket();
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // Readable means the end of the stream (the instance closed it) or bytes nobody asked for.
    private static bool IsQuiet(Socket socket)
    {
        try
        {
            return !socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = await ConnectSocketAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        var stream = new TrackedStream(socket, this, context.DnsEndPoint.Port);
        Track(stream.Port, stream);
        return stream;
    }

    /// <summary>A relay connection over a socket just connected to <paramref name="port"/>, tracked from now on.</summary>
    private RelayConnection Adopt(Socket socket, int port)
    {
        var connection = new RelayConnection(socket, this, port, _time);
        Track(port, connection);
        return connection;
    }

    private RelayConnection? TakeIdle(int port)
    {
        lock (_gate)
        {
            return _idle.TryGetValue(port, out var stack) && stack.TryPop(out var connection) ? connection : null;
        }
    }

    private void Track(int port, ITrackedConnection connection)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue(port, out var set))
            {
                _open[port] = set = [];
            }

            set.Add(connection);
        }
    }

    private void Untrack(int port, ITrackedConnection connection)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(port, out var set) && set.Remove(connection) && set.Count == 0)
            {
                _open.Remove(port);
            }
        }
    }

    // Relay exchanges with no I/O for the activity timeout are ended: an instance that accepted a request
    // and never answers must not hold its client forever. Idle (pooled) connections are not exchanges.
    private void EndQuietExchanges()
    {
        List<RelayConnection> quiet = [];
        lock (_gate)
        {
            var idle = _idle.Values.SelectMany(stack => stack).ToHashSet();
            quiet.AddRange(_open.Values.SelectMany(set => set).OfType<RelayConnection>()
                .Where(c => _time.GetElapsedTime(c.LastActivity) > _activityTimeout && !idle.Contains(c)));
        }

        foreach (var connection in quiet)
        {
            connection.ShutDown(timedOut: true);
        }
    }

    /// <summary>A connection's stream that leaves the tracking when the pool disposes it.</summary>
    private sealed class TrackedStream(Socket socket, InstanceConnections owner, int port) : NetworkStream(socket, ownsSocket: true), ITrackedConnection
    {
        public int Port { get; } = port;

        public int LocalPort { get; } = ((IPEndPoint)socket.LocalEndPoint!).Port;

        /// <summary>Shuts the socket down both ways: reads see the end of the stream, as if the peer had closed.</summary>
        public void ShutDown() => SocketEnds.ShutDownBoth(Socket);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                owner.Untrack(Port, this);
            }

            base.Dispose(disposing);
        }
    }
}
