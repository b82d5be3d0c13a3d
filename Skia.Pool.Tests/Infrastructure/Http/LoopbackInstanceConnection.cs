using System.Net;
using System.Net.Sockets;
using Skia.Pool.Infrastructure.Http;

namespace Skia.Pool.Tests.Infrastructure.Http;

/// <summary>
/// A relay connection over real loopback TCP to a listener the test plays the instance on: the test
/// sends and receives on <see cref="Instance"/> what an instance would.
/// </summary>
internal sealed class LoopbackInstanceConnection : IDisposable
{
    private readonly TcpListener _listener;
    private readonly InstanceConnections _connections;

    private LoopbackInstanceConnection(TcpListener listener, InstanceConnections connections, RelayConnection connection, Socket instance)
    {
        _listener = listener;
        _connections = connections;
        Connection = connection;
        Instance = instance;
    }

    /// <summary>The relay's end.</summary>
    public RelayConnection Connection { get; }

    /// <summary>The instance's end.</summary>
    public Socket Instance { get; }

    public static async Task<LoopbackInstanceConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connections = new InstanceConnections(null, TimeProvider.System, TimeSpan.FromMinutes(10));
        var connection = await connections.TryConnectAsync(((IPEndPoint)listener.LocalEndpoint).Port, cancellationToken)
            ?? throw new InvalidOperationException("Could not connect to a loopback listener.");
        var instance = await listener.AcceptSocketAsync(cancellationToken);
        return new LoopbackInstanceConnection(listener, connections, connection, instance);
    }

    public void Dispose()
    {
        Instance.Dispose();
        Connection.Dispose();
        _connections.Dispose();
        _listener.Dispose();
    }
}
