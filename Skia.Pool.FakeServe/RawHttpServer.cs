using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Skia.Pool.FakeServe;

/// <summary>
/// <c>--raw-http</c>: instead of Kestrel, a listener that answers with hand-written bytes, for what no
/// well-behaved server sends and a proxy must still survive: bytes after a complete answer, a 205 with a
/// body, broken chunks, a close without <c>Connection: close</c>, a malformed head while an upload waits,
/// an early answer to an upload left unread, a head and then nothing.
/// <c>GET /raw/{case}</c> picks one (<see cref="Answers"/>); any other request gets <c>200 ok</c>, so
/// readiness probes pass, unless <c>--raw-root CASE</c> gives <c>/</c> that case's answer. Connections are kept alive between requests, as a real server's are.
/// </summary>
internal static class RawHttpServer
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    /// <summary>A whole answer that arrives on a connection after the answer it follows is complete.</summary>
    private const string Unasked = "HTTP/1.1 299 Unasked\r\nX-Unasked: yes\r\nContent-Length: 7\r\n\r\nunasked";

    private const string Injected = "HTTP/1.1 200 OK\r\nX-Injected: yes\r\nContent-Length: 8\r\n\r\ninjected";

    /// <summary>What each case sends; null bodies mean the case is handled in code.</summary>
    private static readonly Dictionary<string, string> Answers = new(StringComparer.Ordinal)
    {
        ["/raw/ok"] = Ok,
        ["/raw/empty-header"] = "HTTP/1.1 200 OK\r\nX-Empty:\r\nX-Spaces:   \r\nContent-Length: 2\r\n\r\nok",
        ["/raw/reason"] = "HTTP/1.1 200 Fine Thanks\r\nContent-Length: 2\r\n\r\nok",
        ["/raw/205-with-body"] = $"HTTP/1.1 205 Reset Content\r\nContent-Length: {Injected.Length}\r\n\r\n{Injected}",
        ["/raw/204-with-length"] = "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
        ["/raw/bad-chunk"] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nok\r\n0\r\n\r\n",

        // Heads a lenient client reads and the relay's strict parser refuses: still HTTP to a readiness probe.
        ["/raw/bare-lf"] = "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
        ["/raw/non-ascii"] = "HTTP/1.1 200 OK\r\nServer: Sk\u00efa\r\nContent-Length: 2\r\n\r\nok",
        ["/raw/obs-fold"] = "HTTP/1.1 200 OK\r\nX-Folded: one\r\n two\r\nContent-Length: 2\r\n\r\nok",
    };

    public static async Task<bool> RunAsync(FakeServeOptions options, CancellationToken stopping)
    {
        using var listener = new TcpListener(options.Ipv6Only ? IPAddress.IPv6Loopback : IPAddress.Loopback, options.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            await Console.Error.WriteLineAsync($"fakeserve: cannot listen on {options.Url}: {e.Message}");
            return false;
        }

        await Console.Out.WriteLineAsync($"fakeserve listening on {options.Url} pid {Environment.ProcessId} (raw http)");
        try
        {
            while (true)
            {
                var client = await listener.AcceptSocketAsync(stopping);
                _ = ServeAsync(client, options.RawRoot, stopping);
            }
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private static async Task ServeAsync(Socket client, string? rawRoot, CancellationToken stopping)
    {
        using var _ = client;
        var buffered = new List<byte>();
        try
        {
            while (await ReadHeadAsync(client, buffered, stopping) is { } head)
            {
                var path = head.Split(' ')[1];
                if (path == "/" && rawRoot is not null)
                {
                    path = rawRoot;
                }

                if (path == "/raw/bad-head")
                {
                    // A head no parser accepts, and the request's body left unread: a proxy still sending
                    // an upload must stop and answer rather than wait for the window to open.
                    await SendAsync(client, "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n", stopping);
                    await Task.Delay(Timeout.Infinite, stopping);
                }

                if (path == "/raw/answer-unread")
                {
                    // A whole, well-formed answer to an upload it never reads (a 4xx to a large POST), the
                    // connection left open: the proxy has to end the upload's send itself.
                    await SendAsync(client, "HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\nno", stopping);
                    await Task.Delay(Timeout.Infinite, stopping);
                }

                await SkipBodyAsync(client, head, buffered, stopping);
                if (path == "/raw/extra")
                {
                    await SendAsync(client, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", stopping);
                    await Task.Delay(50, stopping);
                    await SendAsync(client, Unasked, stopping);
                    continue;
                }

                if (path == "/raw/head-then-stall")
                {
                    await SendAsync(client, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", stopping);
                    await Task.Delay(Timeout.Infinite, stopping); // a body announced, and never sent
                }

                if (path == "/raw/head-then-close")
                {
                    await SendAsync(client, "HTTP/1.1 200 OK\r\nX-From-Instance: yes\r\nContent-Length: 100\r\n\r\n", stopping);
                    return; // a head, then the end: not one byte of the body it announced
                }

                if (path == "/raw/close-after")
                {
                    await SendAsync(client, Ok, stopping);
                    return; // closed without "Connection: close": keep-alive servers do this when idle
                }

                await SendAsync(client, Answers.GetValueOrDefault(path, Ok), stopping);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            // The client went away, or the process is stopping.
        }
    }

    private static async Task<string?> ReadHeadAsync(Socket client, List<byte> buffered, CancellationToken stopping)
    {
        var chunk = new byte[4096];
        while (true)
        {
            var end = IndexOf(buffered, "\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString([.. buffered[..end]]);
                buffered.RemoveRange(0, end + 4);
                return head;
            }

            var read = await client.ReceiveAsync(chunk, stopping);
            if (read == 0)
            {
                return null;
            }

            buffered.AddRange(chunk.AsSpan(0, read));
        }
    }

    // Content-Length bodies only, or chunked ones read through their last chunk (trailers not expected).
    private static async Task SkipBodyAsync(Socket client, string head, List<byte> buffered, CancellationToken stopping)
    {
        var lines = head.Split("\r\n");
        var length = lines.Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => long.Parse(p[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
        var chunked = lines.Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && l.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        var chunk = new byte[65536];
        if (chunked)
        {
            while (IndexOf(buffered, "\r\n0\r\n\r\n"u8) < 0 && !StartsWith(buffered, "0\r\n\r\n"u8))
            {
                var read = await client.ReceiveAsync(chunk, stopping);
                if (read == 0)
                {
                    return;
                }

                buffered.AddRange(chunk.AsSpan(0, read));
            }

            var last = StartsWith(buffered, "0\r\n\r\n"u8) ? 0 : IndexOf(buffered, "\r\n0\r\n\r\n"u8) + 2;
            buffered.RemoveRange(0, last + 5);
            return;
        }

        while (buffered.Count < length)
        {
            length -= buffered.Count;
            buffered.Clear();
            var read = await client.ReceiveAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length)), stopping);
            if (read == 0)
            {
                return;
            }

            buffered.AddRange(chunk.AsSpan(0, read));
        }

        buffered.RemoveRange(0, (int)length);
    }

    private static async Task SendAsync(Socket client, string text, CancellationToken stopping) =>
        await client.SendAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None, stopping); // UTF-8: the non-ASCII case

    private static bool StartsWith(List<byte> buffered, ReadOnlySpan<byte> value) =>
        CollectionsMarshal.AsSpan(buffered).StartsWith(value);

    private static int IndexOf(List<byte> buffered, ReadOnlySpan<byte> value) =>
        CollectionsMarshal.AsSpan(buffered).IndexOf(value);
}
