using System.Buffers;
using System.Net.WebSockets;

namespace Skia.Pool.FakeServe;

/// <summary>
/// <c>/ws</c>: echoes every WebSocket message back as the same type, to test a proxy's WebSocket forwarding.
/// Echoes frame by frame, so a message of any size costs one buffer and keeps its boundaries.
/// The text message <c>close-from-server</c> makes the server close instead (status 4000), to test that a
/// close started by the backend reaches the client.
/// </summary>
internal static class WebSocketEndpoint
{
    private const int BufferSize = 64 * 1024;
    private const string CloseCommand = "close-from-server";
    private const WebSocketCloseStatus ServerClosing = (WebSocketCloseStatus)4000;

    public static IEndpointRouteBuilder MapWebSocketEcho(this IEndpointRouteBuilder app)
    {
        app.Map("/ws", EchoAsync);
        return app;
    }

    private static async Task EchoAsync(HttpContext context, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("expected a WebSocket request\n", context.RequestAborted);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();

        // An open WebSocket would otherwise hold up the host's shutdown until its timeout.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(
                        socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription, stop.Token);
                    return;
                }

                if (received is { MessageType: WebSocketMessageType.Text, EndOfMessage: true }
                    && System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count) == CloseCommand)
                {
                    await socket.CloseAsync(ServerClosing, "server closing", stop.Token);
                    return;
                }

                await socket.SendAsync(
                    buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away without a closing handshake, or the process is stopping: nothing to answer.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
