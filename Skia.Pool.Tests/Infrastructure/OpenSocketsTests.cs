using System.Net;
using System.Net.Sockets;
using Skia.Pool.Infrastructure.Processes;

namespace Skia.Pool.Tests.Infrastructure;

/// <summary>Reading which sockets a process holds from its /proc/{pid}/fd links, as the listener check does after every start.</summary>
public sealed class OpenSocketsTests
{
    [Fact]
    public void FindIn_ThisProcessListensAndHoldsAnAcceptedConnection_FindsBothAndNothingElse()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        using var accepted = listener.AcceptSocket();
        var listening = PortCheck.ListeningInodes(port).Single();
        var connection = PortCheck.ConnectionInode(port, ((IPEndPoint)client.LocalEndPoint!).Port)!;
        HashSet<string> wanted = [listening, connection, "999999999"]; // the last is no socket of anyone's
        var found = new HashSet<string>(StringComparer.Ordinal);

        OpenSockets.FindIn(Environment.ProcessId, wanted, found);

        found.Should().BeEquivalentTo([listening, connection]);
    }

    [Fact]
    public void AddOf_ThisProcess_HasEverySocketItOpened()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var inodes = new HashSet<string>(StringComparer.Ordinal);

        OpenSockets.AddOf(Environment.ProcessId, inodes);

        inodes.Should().Contain(PortCheck.ListeningInodes(port).Single());
    }

    [Fact]
    public void FindIn_ProcessThatDoesNotExist_FindsNothing()
    {
        var found = new HashSet<string>(StringComparer.Ordinal);

        OpenSockets.FindIn(int.MaxValue, new HashSet<string> { "1" }, found);

        found.Should().BeEmpty();
    }
}
