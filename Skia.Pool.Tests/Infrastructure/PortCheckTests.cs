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

    private static TcpListener Listen(IPAddress address, out int port)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
