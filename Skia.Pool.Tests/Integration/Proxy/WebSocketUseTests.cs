using System.Net.WebSockets;
using System.Text;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Proxy;

/// <summary>A user working over a WebSocket is never culled as idle; once the socket closes, idleness counts again.</summary>
public sealed class WebSocketUseTests
{
    [Fact]
    public async Task Cull_InstanceWithAnOpenWebSocketPastIdleTimeout_IsKeptUntilTheSocketCloses()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string>
        {
            ["Pool__CullInterval"] = "00:00:00.100",
            ["Pool__IdleTimeout"] = "00:00:00.500",
        });
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}/{id}/ws"), CancellationToken.None);
        var pid = server.InstanceProcesses().Single();

        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(500); // several idle timeouts pass while the user works over the socket
            await socket.SendAsync(Encoding.UTF8.GetBytes($"message {i}"), WebSocketMessageType.Text, true, CancellationToken.None);
            var (_, echoed) = await WebSocketTests.ReceiveMessageAsync(socket);
            Encoding.UTF8.GetString(echoed).Should().Be($"message {i}");
        }

        MarkedProcesses.IsAlive(pid).Should().BeTrue();
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await Eventually.TrueAsync(() => !MarkedProcesses.IsAlive(pid), "after the socket closes the idle instance is culled");
    }
}
