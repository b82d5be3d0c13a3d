using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Proxy;

/// <summary>WebSockets pass through the prefix both ways, start instances on demand, and count as use.</summary>
public sealed class WebSocketTests(PoolServer server) : IClassFixture<PoolServer>
{
    [Theory]
    [InlineData(10)]
    [InlineData(1024 * 1024)]
    public async Task Upgrade_ToANeverStartedId_StartsItAnswers101AndEchoesTheMessage(int size)
    {
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        var message = RandomNumberGenerator.GetBytes(size);

        await socket.ConnectAsync(WsUri(id, "ws"), CancellationToken.None);
        await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        var (type, echoed) = await ReceiveMessageAsync(socket);

        socket.HttpStatusCode.Should().Be(System.Net.HttpStatusCode.SwitchingProtocols);
        type.Should().Be(WebSocketMessageType.Binary);
        echoed.Should().Equal(message);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Close_StartedByTheClient_IsEchoedBackThroughTheProxy()
    {
        using var socket = await ConnectAsync();

        await socket.CloseAsync((WebSocketCloseStatus)4001, "client closing", CancellationToken.None);

        (socket.State, socket.CloseStatus, socket.CloseStatusDescription).Should()
            .Be((WebSocketState.Closed, (WebSocketCloseStatus)4001, "client closing"));
    }

    [Fact]
    public async Task Close_StartedByTheBackend_ReachesTheClient()
    {
        using var socket = await ConnectAsync();

        await socket.SendAsync(Encoding.UTF8.GetBytes("close-from-server"), WebSocketMessageType.Text, true, CancellationToken.None);
        var result = await socket.ReceiveAsync(new byte[16], CancellationToken.None);

        (result.MessageType, socket.CloseStatus, socket.CloseStatusDescription).Should()
            .Be((WebSocketMessageType.Close, (WebSocketCloseStatus)4000, "server closing"));
    }

    [Fact]
    public async Task Upgrade_RefusedByTheBackend_FailsTheHandshakeAndTheInstanceKeepsServing()
    {
        using var client = server.CreateClient();
        var id = await server.SharedInstanceAsync();
        var pid = await client.WhoAmIAsync(id);
        using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };

        var connect = () => socket.ConnectAsync(WsUri(id, "no-such-socket"), CancellationToken.None);

        await connect.Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        (await client.WhoAmIAsync(id)).Should().Be(pid);
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(WsUri(await server.SharedInstanceAsync(), "ws"), CancellationToken.None);
        return socket;
    }

    private Uri WsUri(string id, string path) => new($"ws://127.0.0.1:{server.Port}/{id}/{path}");

    internal static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveMessageAsync(ClientWebSocket socket)
    {
        using var data = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            data.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return (result.MessageType, data.ToArray());
    }
}
