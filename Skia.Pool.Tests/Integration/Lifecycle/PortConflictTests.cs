using System.Net;
using System.Net.Sockets;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Lifecycle;

/// <summary>A port held by a stranger is never proxied to: its slot is skipped and reported.</summary>
public sealed class PortConflictTests
{
    [Fact]
    public async Task FirstRequest_FirstSlotsPortHeldByAPlainListener_IsServedFromTheNextSlotAndTheListenerNeverSeesTraffic()
    {
        await using var server = await PoolServer.StartAsync();
        using var stranger = new TcpListener(IPAddress.Loopback, server.StartPort);
        stranger.Start();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        var whoami = await client.GetJsonAsync($"/{id}/whoami");

        whoami.GetProperty("port").GetInt32().Should().Be(server.StartPort + 1);
        stranger.Pending().Should().BeFalse("no request may ever reach a process the pool did not start");
        var listed = await client.ListInstancesAsync();
        listed.Should().ContainSingle(i => i.GetProperty("state").GetString() == "blocked")
            .Which.GetProperty("port").GetInt32().Should().Be(server.StartPort);
        await Eventually.TrueAsync(() => server.Output.Contains($"port {server.StartPort} is held by another process", StringComparison.Ordinal));
    }
}
