using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Tests.Integration.Support;

/// <summary>
/// A foreign HTTP server on a slot's port that the pool did not start: it answers every request with
/// keep-alive, and once it has received its first request it closes its listening socket but keeps
/// serving the connections it already has (as a server in graceful shutdown does). It records every
/// request head it receives, so a test can prove which requests reached it.
/// </summary>
internal sealed class KeepAliveStranger : IDisposable
{
    private readonly Socket _listener;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentBag<Socket> _connections = [];
    private readonly CancellationTokenSource _stop = new();

    private readonly bool _answerFirstOnceRebound;
    private readonly bool _keepListening;

    /// <param name="port">The port to listen on (127.0.0.1).</param>
    /// <param name="answerFirstOnceRebound">
    /// True: the first request is answered only once another socket listens on the port (after this one
    /// closed its listener), as a stranger racing the instance for the port would.
    /// </param>
    /// <param name="keepListening">True: the listener stays open (the stranger simply holds the port).</param>
    public KeepAliveStranger(int port, bool answerFirstOnceRebound = false, bool keepListening = false)
    {
        _answerFirstOnceRebound = answerFirstOnceRebound;
        _keepListening = keepListening;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _listener.Listen();
        _ = AcceptAsync();
    }

    /// <summary>The head of every request received, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>True once the listening socket is closed (only already accepted connections are served).</summary>
    public bool StoppedListening { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        StopListening();
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        _stop.Dispose();
    }

    private void StopListening()
    {
        StoppedListening = true;
        _listener.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var connection = await _listener.AcceptAsync(_stop.Token);
                _connections.Add(connection);
                _ = ServeAsync(connection);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Listener closed.
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        var buffer = new byte[64 * 1024];
        var pending = new StringBuilder();
        var port = ((IPEndPoint)connection.LocalEndPoint!).Port;
        try
        {
            while (true)
            {
                var read = await connection.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                pending.Append(Encoding.Latin1.GetString(buffer, 0, read));
                int end;
                while ((end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                {
                    var head = pending.ToString(0, end);
                    pending.Remove(0, end + 4);
                    _requests.Enqueue(head);
                    if (!StoppedListening && !_keepListening)
                    {
                        StopListening();
                        while (_answerFirstOnceRebound && PortCheck.ListeningInodes(port).Count == 0)
                        {
                            await Task.Delay(1, _stop.Token);
                        }
                    }

                    var body = string.Create(CultureInfo.InvariantCulture, $"{{\"pid\":-1,\"port\":{port},\"stranger\":true}}");
                    var response = string.Create(CultureInfo.InvariantCulture,
                        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}");
                    await connection.SendAsync(Encoding.Latin1.GetBytes(response), SocketFlags.None, _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed by either side.
        }
    }
}
