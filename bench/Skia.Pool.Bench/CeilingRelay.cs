using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Skia.Pool.Bench;

/// <summary>
/// The ceiling row of the proxy part: a bare HTTP/1.1 relay on .NET sockets, with no Kestrel, no ASP.NET
/// Core and none of the service's checks, so the bench can say how much of nginx's req/s C# reaches on
/// this machine when nothing but sockets and the thread pool sits between client and instance. One
/// keep-alive connection to the instance per client connection; the first path segment is stripped;
/// headers go through as they came (no Host rewritten, no X-Forwarded-* added: less than nginx is set up
/// to do, so an upper bound); GET only, answers framed by Content-Length only. Not a proxy anyone should
/// run: anything else it meets ends the connection.
/// </summary>
internal static class CeilingRelay
{
    private const int HeadRoom = 16 * 1024;
    private const int BodyBuffer = 64 * 1024;

    public static async Task<int> RunAsync(CommandLine options)
    {
        var listen = (int)options.Number("listen");
        var backend = new IPEndPoint(IPAddress.Loopback, (int)options.Number("backend"));
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, listen));
        listener.Listen(512);
        await Console.Error.WriteLineAsync($"bench: ceiling relay on 127.0.0.1:{listen} -> {backend}");
        try
        {
            while (true)
            {
                var client = await listener.AcceptAsync(stop.Token);
                _ = Task.Run(() => ServeAsync(client, backend, stop.Token));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
    }

    private static async Task ServeAsync(Socket client, IPEndPoint backend, CancellationToken stop)
    {
        using var instance = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var _ = client;
        client.NoDelay = true;
        var request = new byte[HeadRoom];
        var answer = new byte[HeadRoom + BodyBuffer];
        try
        {
            await instance.ConnectAsync(backend, stop);
            var filled = 0;
            while (true)
            {
                (var end, filled) = await ReceiveHeadAsync(client, request, filled, stop);
                if (end < 0)
                {
                    return;
                }

                var (from, length) = StripFirstSegment(request.AsSpan(0, end));
                if (length < 0)
                {
                    return;
                }

                await SendAllAsync(instance, request.AsMemory(from, length), stop);
                if (!await RelayAnswerAsync(instance, client, answer, stop))
                {
                    return;
                }

                // Whatever the client sent after this head (pipelining) is the start of its next request.
                filled -= end;
                request.AsSpan(end, filled).CopyTo(request);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client or the instance went away: so does this connection.
        }
    }

    /// <summary>Receives until a whole request head is in <paramref name="buffer"/>: the length of the head with its blank line (-1 when none comes), and of all received.</summary>
    private static async ValueTask<(int End, int Filled)> ReceiveHeadAsync(Socket client, byte[] buffer, int filled, CancellationToken stop)
    {
        while (true)
        {
            var blank = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (blank >= 0)
            {
                return (blank + 4, filled);
            }

            if (filled == buffer.Length)
            {
                return (-1, filled);
            }

            var received = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stop);
            if (received == 0)
            {
                return (-1, filled);
            }

            filled += received;
        }
    }

    /// <summary>
    /// "GET /{id}/rest HTTP/1.1..." becomes "GET /rest HTTP/1.1..." in place: the method moves right over the
    /// first segment. Returns where the rewritten head starts and its length; -1 for anything but a GET of /{segment}/....
    /// </summary>
    private static (int From, int Length) StripFirstSegment(Span<byte> head)
    {
        if (!head.StartsWith("GET /"u8))
        {
            return (0, -1);
        }

        var target = head[5..];
        target = target[..Math.Max(target.IndexOf((byte)' '), 0)];
        var slash = target.IndexOf((byte)'/');
        if (slash < 0)
        {
            return (0, -1); // "/{id}" alone: no path for the instance
        }

        var from = slash + 1; // "GET " now ends just before the second slash
        head[..4].CopyTo(head[from..]);
        return (from, head.Length - from);
    }

    /// <summary>Relays one answer (head and Content-Length body) from the instance to the client; false when it cannot.</summary>
    private static async ValueTask<bool> RelayAnswerAsync(Socket instance, Socket client, byte[] buffer, CancellationToken stop)
    {
        var filled = 0;
        int headLength;
        while ((headLength = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            var received = filled < HeadRoom ? await instance.ReceiveAsync(buffer.AsMemory(filled, HeadRoom - filled), SocketFlags.None, stop) : 0;
            if (received == 0)
            {
                return false;
            }

            filled += received;
        }

        headLength += 4;
        if (ContentLength(buffer.AsSpan(0, headLength)) is not { } bodyLength)
        {
            return false;
        }

        var left = headLength + bodyLength - filled;
        await SendAllAsync(client, buffer.AsMemory(0, (int)Math.Min(filled, headLength + bodyLength)), stop);
        while (left > 0)
        {
            var received = await instance.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(left, buffer.Length)), SocketFlags.None, stop);
            if (received == 0)
            {
                return false;
            }

            await SendAllAsync(client, buffer.AsMemory(0, received), stop);
            left -= received;
        }

        return left == 0;
    }

    private static long? ContentLength(ReadOnlySpan<byte> head)
    {
        Span<byte> lower = stackalloc byte[head.Length];
        for (var i = 0; i < head.Length; i++)
        {
            lower[i] = head[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(head[i] | 0x20) : head[i];
        }

        var at = lower.IndexOf("\r\ncontent-length:"u8);
        if (at < 0)
        {
            return null;
        }

        var value = head[(at + 17)..];
        value = value[..value.IndexOf("\r\n"u8)].Trim(" \t"u8);
        return Utf8Parser.TryParse(value, out long length, out var used) && used == value.Length ? length : null;
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken stop)
    {
        while (!data.IsEmpty)
        {
            data = data[await socket.SendAsync(data, SocketFlags.None, stop)..];
        }
    }
}
