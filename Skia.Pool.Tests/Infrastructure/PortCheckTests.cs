using System.Net;
using System.Net.Sockets;
using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Tests.Infrastructure;

/// <summary>Real sockets of this test process, looked up the way the pool checks an instance's listener.</summary>
public sealed class PortCheckTests
{
    [Fact]
    public void ListeningInodes_Netlink_FindTheSameListenerAsProcNetTcp()
    {
        using var listener = Listen(IPAddress.Loopback, out var port);

        var fromKernel = ListeningSockets.InodesOn(port);

        fromKernel.Should().NotBeNull("netlink socket diagnostics are allowed on this machine");
        fromKernel.Should().ContainSingle().And.BeEquivalentTo(PortCheck.ListeningInodesFromProc(port));
    }

    [Fact]
    public void ListeningInodes_Ipv6Listener_IsFoundToo()
    {
        using var listener = Listen(IPAddress.IPv6Loopback, out var port);

        ListeningSockets.InodesOn(port).Should().ContainSingle().And.BeEquivalentTo(PortCheck.ListeningInodesFromProc(port));
    }

    [Fact]
    public void ListeningInodes_ConnectedButNotListeningPort_AreNone()
    {
        using var listener = Listen(IPAddress.Loopback, out var port);
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        var clientPort = ((IPEndPoint)client.Client.LocalEndPoint!).Port;

        ListeningSockets.InodesOn(clientPort).Should().BeEmpty("a connection's local port is not a listener");
    }

    [Fact]
    public void IsListenedToBy_ThisProcessListens_IsTrueForItAndFalseForAnother()
    {
        using var listener = Listen(IPAddress.Loopback, out var port);

        PortCheck.IsListenedToBy(port, [Environment.ProcessId]).Should().BeTrue();
        PortCheck.IsListenedToBy(port, [1]).Should().BeFalse();
    }

    [Fact]
    public void IsListenedToBy_NobodyListens_IsFalse()
    {
        int port;
        using (Listen(IPAddress.Loopback, out port))
        {
        }

        PortCheck.IsListenedToBy(port, [Environment.ProcessId]).Should().BeFalse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConnectionInode_Netlink_IsTheAcceptedSocketAsProcNetTcpShowsIt(bool dualStackListener)
    {
        using var listener = dualStackListener ? Listen(IPAddress.IPv6Any, out var port, dualMode: true) : Listen(IPAddress.Loopback, out port);
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp); // dual mode, as the pool's connections
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        using var accepted = listener.AcceptSocket();
        var clientPort = ((IPEndPoint)client.LocalEndPoint!).Port;

        ListeningSockets.TryConnectionInode(port, clientPort, out var fromKernel).Should().BeTrue();

        fromKernel.Should().NotBeNull().And.Be(PortCheck.ConnectionInodeFromProc(port, clientPort));
        PortCheck.AreHeldBy([fromKernel!], [Environment.ProcessId]).Should().BeTrue();
        PortCheck.AreHeldBy([fromKernel!], [1]).Should().BeFalse();
    }

    [Fact]
    public void ConnectionInode_NoSuchConnection_IsNullNotTheListener()
    {
        using var listener = Listen(IPAddress.Loopback, out var port);

        ListeningSockets.TryConnectionInode(port, 1, out var inode).Should().BeTrue();

        inode.Should().BeNull();
        PortCheck.ConnectionInodeFromProc(port, 1).Should().BeNull();
    }

    private static TcpListener Listen(IPAddress address, out int port, bool dualMode = false)
    {
        var listener = new TcpListener(address, 0);
        if (dualMode)
        {
            listener.Server.DualMode = true;
        }

        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
