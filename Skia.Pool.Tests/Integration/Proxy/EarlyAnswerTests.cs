using System.Net.Sockets;
using System.Text;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Proxy;

/// <summary>
/// An instance that answers an upload through the relay before reading it (a 4xx to a large POST) and
/// never reads the rest: the client gets that answer, and its keep-alive connection goes on to serve its
/// next request. A browser does not retry a POST on a connection closed under it, so a dropped connection
/// loses a request. (YARP's path does not end such an upload: docs/proxy.md, "known limit".)
/// </summary>
public sealed class EarlyAnswerTests
{
    private const int UploadBytes = 16 * 1024 * 1024;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LargeUpload_AnsweredAndNeverRead_TheNextRequestOnTheConnectionIsAnswered(bool chunked)
    {
        await using var server = await PoolServer.StartAsync(FakeServeArguments.With("--raw-http"));
        using var http = server.CreateClient();
        var id = await http.CreateInstanceAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var connection = new TcpClient();
        await connection.ConnectAsync("127.0.0.1", server.Port, timeout.Token);
        var stream = connection.GetStream();

        // Both requests go out in one stream, as a client that keeps its connection writes them; no
        // Expect header, so the service forwards the body as it arrives.
        var sending = Task.Run(async () =>
        {
            var framing = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {UploadBytes}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /{id}/raw/answer-unread HTTP/1.1\r\nHost: pool\r\n{framing}\r\n\r\n"), timeout.Token);
            if (chunked)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{UploadBytes:X}\r\n"), timeout.Token);
            }

            var block = new byte[64 * 1024];
            for (var sent = 0; sent < UploadBytes; sent += block.Length)
            {
                await stream.WriteAsync(block, timeout.Token);
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes((chunked ? "\r\n0\r\n\r\n" : "") + $"GET /{id}/raw/ok HTTP/1.1\r\nHost: pool\r\n\r\n"), timeout.Token);
        });

        var first = await RawHttp.ReadAnswerAsync(stream, timeout.Token);
        var second = await RawHttp.ReadAnswerAsync(stream, timeout.Token);
        await sending.WaitAsync(timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default); // its outcome is the answers'

        RawHttp.StatusOf(first.Head).Should().Be(400, first.Head);
        first.Body.Should().Be("no");
        second.Head.Should().StartWith("HTTP/1.1 200", "the connection must serve the request after the upload; got: {0}", second.Head);
        second.Body.Should().Be("ok");
    }
}
