using System.Net.Sockets;
using System.Text;

namespace Skia.Pool.Tests.Integration.Support;

/// <summary>
/// A request written byte for byte on a fresh TCP connection, for what HttpClient will not send
/// (dot segments, an Expect header without a body yet, oversized request lines).
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="head"/> (request line and headers, without the blank line) and returns the first response's head.</summary>
    public static async Task<string> SendHeadAsync(int port, string head, TimeSpan? limit = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd() + "\r\n\r\n"));
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        return await ReadHeadAsync(stream, timeout.Token);
    }

    /// <summary>Sends a request (with <c>Connection: close</c> in <paramref name="head"/>) and returns the whole answer, head and body.</summary>
    public static async Task<string> SendAsync(int port, string head)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd() + "\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await reader.ReadToEndAsync(timeout.Token);
    }

    /// <summary>Reads up to the end of one response head (the first blank line).</summary>
    public static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new StringBuilder();
        var buffer = new byte[1];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal)
            && await stream.ReadAsync(buffer, cancellationToken) > 0)
        {
            received.Append((char)buffer[0]);
        }

        return received.ToString();
    }

    /// <summary>One answer's head and its body (by Content-Length, or chunked); an empty head when the connection ended first.</summary>
    public static async Task<(string Head, string Body)> ReadAnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        string head;
        try
        {
            head = await ReadHeadAsync(stream, cancellationToken);
        }
        catch (IOException)
        {
            return ("", ""); // reset by the service
        }

        var lines = head.Split("\r\n");
        if (lines.Any(line => line.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)))
        {
            return (head, await ReadChunkedAsync(stream, cancellationToken));
        }

        var lengthLine = lines.FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return (head, Encoding.UTF8.GetString(body));
    }

    private static async Task<string> ReadChunkedAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        while (true)
        {
            var size = Convert.ToInt32((await ReadLineAsync(stream, cancellationToken)).Split(';')[0], 16);
            if (size == 0)
            {
                while ((await ReadLineAsync(stream, cancellationToken)).Length > 0)
                {
                    // trailers
                }

                return Encoding.UTF8.GetString(body.ToArray());
            }

            var chunk = new byte[size];
            await stream.ReadExactlyAsync(chunk, cancellationToken);
            body.Write(chunk);
            (await ReadLineAsync(stream, cancellationToken)).Should().BeEmpty("chunk data ends with CRLF");
        }
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, cancellationToken) == 0)
            {
                throw new IOException("The connection ended inside a chunked body.");
            }

            line.Append((char)buffer[0]);
        }

        return line.ToString()[..^2];
    }

    public static int StatusOf(string head) => int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
}
