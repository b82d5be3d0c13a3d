using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using NSubstitute;
using Skia.Pool.Api.Proxy.Front;

namespace Skia.Pool.Tests.Api.Proxy;

/// <summary>
/// What Kestrel's HTTP connection, lent the client's connection, may still do to it: abort it only while
/// it is answering, and hear heartbeats (which drive its timeouts) only while its loan lasts.
/// </summary>
public sealed class LoanConnectionTests
{
    [Fact]
    public void Abort_WhileAnswering_AbortsTheClientsConnection()
    {
        var (client, _) = Client();
        var loan = new LoanConnection(client, Pipes()) { Answering = true };

        loan.Abort(new ConnectionAbortedException("timed out"));

        client.Received(1).Abort(Arg.Any<ConnectionAbortedException>());
        loan.Aborted.Should().BeTrue();
    }

    [Fact]
    public void Abort_BetweenRequests_EndsTheLoanOnly()
    {
        // Kestrel's drain timeout after its keep-alive ran out: the front is serving the connection meanwhile.
        var (client, _) = Client();
        var loan = new LoanConnection(client, Pipes());

        loan.Abort(new ConnectionAbortedException("drain timed out"));

        client.DidNotReceive().Abort(Arg.Any<ConnectionAbortedException>());
        loan.Aborted.Should().BeTrue("the next lent request goes to a new loan");
    }

    [Fact]
    public void Heartbeat_ReachesKestrelWhileTheLoanLastsAndNotAfter()
    {
        var (client, heartbeat) = Client();
        var loan = new LoanConnection(client, Pipes());
        var beats = 0;
        loan.Features.Get<IConnectionHeartbeatFeature>()!.OnHeartbeat(_ => beats++, this);

        heartbeat.Beat();
        loan.End();
        heartbeat.Beat();

        beats.Should().Be(1);
        client.Features.Get<IConnectionHeartbeatFeature>().Should().BeSameAs(heartbeat, "the client's connection keeps its own");
    }

    private static (ConnectionContext Client, Heartbeat Heartbeat) Client()
    {
        var heartbeat = new Heartbeat();
        var features = new FeatureCollection();
        features.Set<IConnectionHeartbeatFeature>(heartbeat);
        var client = Substitute.For<ConnectionContext>();
        client.Features.Returns(features);
        return (client, heartbeat);
    }

    private static IDuplexPipe Pipes() => new DuplexPipe(new Pipe().Reader, new Pipe().Writer);

    /// <summary>Kestrel's heartbeat, once a second in the server; here when the test says.</summary>
    private sealed class Heartbeat : IConnectionHeartbeatFeature
    {
        private readonly List<(Action<object> Action, object State)> _callbacks = [];

        public void OnHeartbeat(Action<object> action, object state) => _callbacks.Add((action, state));

        public void Beat()
        {
            foreach (var (action, state) in _callbacks)
            {
                action(state);
            }
        }
    }
}
