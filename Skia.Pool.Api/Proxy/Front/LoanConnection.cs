using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Skia.Pool.Api.Proxy.Front;

/// <summary>
/// The client's connection as Kestrel's HTTP server sees it while it is lent (<see cref="KestrelLoan"/>):
/// the loan's pipes for transport, and everything else the connection's, except two things an HTTP
/// connection would otherwise keep doing to the real one after its loan is over. Kestrel's HTTP
/// connection registers a heartbeat callback for its timeouts and never removes it, and its timeouts
/// end in <see cref="Abort"/>: a loan that ended on Kestrel's keep-alive timeout, while the front went on
/// serving the connection, had its leftover drain timeout reset the client's connection seconds later,
/// in the middle of whatever the front was sending. So heartbeats reach Kestrel only while its loan lasts,
/// and an abort reaches the client's connection only while Kestrel is answering a request.
/// </summary>
internal sealed class LoanConnection : ConnectionContext, IConnectionHeartbeatFeature
{
    private readonly ConnectionContext _connection;
    private readonly Lock _lock = new();
    private List<(Action<object> Action, object State)>? _heartbeats = [];
    private volatile bool _answering;
    private volatile bool _aborted;

    public LoanConnection(ConnectionContext connection, IDuplexPipe transport)
    {
        _connection = connection;
        Transport = transport;
        Features = new FeatureCollection(connection.Features); // what Kestrel sets stays the loan's
        Features.Set<IConnectionHeartbeatFeature>(this);
        connection.Features.Get<IConnectionHeartbeatFeature>()?.OnHeartbeat(static state => ((LoanConnection)state).Beat(), this);
    }

    public override string ConnectionId
    {
        get => _connection.ConnectionId;
        set => throw new NotSupportedException();
    }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items
    {
        get => _connection.Items;
        set => throw new NotSupportedException();
    }

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed
    {
        get => _connection.ConnectionClosed;
        set => throw new NotSupportedException();
    }

    public override EndPoint? LocalEndPoint
    {
        get => _connection.LocalEndPoint;
        set => throw new NotSupportedException();
    }

    public override EndPoint? RemoteEndPoint
    {
        get => _connection.RemoteEndPoint;
        set => throw new NotSupportedException();
    }

    /// <summary>True while Kestrel is answering a request it was given: its aborts then end the client's connection.</summary>
    public bool Answering
    {
        get => _answering;
        set => _answering = value;
    }

    /// <summary>
    /// Kestrel gives up on the connection (a timeout, a failed answer). While it answers, the client's
    /// connection ends with it; otherwise only the loan does, as Kestrel ends its side after an abort.
    /// </summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        _aborted = true;
        if (_answering)
        {
            _connection.Abort(abortReason);
        }
    }

    /// <summary>True once Kestrel has given up on the connection: the loan takes no more requests.</summary>
    public bool Aborted => _aborted;

    /// <summary>The connection is the front's and Kestrel's own, and is disposed by Kestrel when it ends.</summary>
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void OnHeartbeat(Action<object> action, object state)
    {
        lock (_lock)
        {
            _heartbeats?.Add((action, state));
        }
    }

    /// <summary>The loan is over: Kestrel's HTTP connection gets no more heartbeats, and is let go.</summary>
    public void End()
    {
        _answering = false;
        lock (_lock)
        {
            _heartbeats = null;
        }
    }

    private void Beat()
    {
        lock (_lock)
        {
            foreach (var (action, state) in _heartbeats ?? [])
            {
                action(state);
            }
        }
    }
}
