using System.Net;
using System.Net.Sockets;
using Skia.Pool.Infrastructure.Processes;
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

    [Fact]
    public async Task FirstRequest_InstanceListensOnIpv6LoopbackOnlyAndAStrangerOn127001_NeverProxiesToTheStranger()
    {
        // The instance's own listener on [::1] does not make 127.0.0.1:port its own: the pool connects to
        // 127.0.0.1, where the stranger listens.
        await using var server = await PoolServer.StartAsync(FakeServeArguments.With("--ipv6-only").And("Pool__StartTimeout", "00:00:03"));
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        var request = client.GetAsync(new Uri($"/{id}/whoami", UriKind.Relative));
        await Eventually.TrueAsync(() => PortCheck.ListeningInodes(server.StartPort).Count > 0, "the instance listens on [::1]");
        using var stranger = new KeepAliveStranger(server.StartPort, keepListening: true);
        using var response = await request;

        var body = await response.Content.ReadAsStringAsync();
        stranger.Requests.Should().NotContain(r => r.Contains(id, StringComparison.OrdinalIgnoreCase),
            "a user's request (and its id, in X-Forwarded-Prefix) must never reach a process the pool did not start");
        body.Should().NotContain("stranger");
    }
}
