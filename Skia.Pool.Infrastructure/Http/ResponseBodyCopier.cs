using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// Copies a response body from an instance's connection to the client's response, by its framing. What
/// has arrived is written to the client before waiting for more (a streaming answer reaches the client
/// as the instance sends it); bytes are never buffered beyond one read. A chunked body is decoded here
/// and coded again by Kestrel; its trailers are read and dropped.
/// </summary>
public sealed class ResponseBodyCopier(RelayConnection connection, PipeWriter client, CancellationToken aborted)
{
    private const int MaxChunkLineLength = 4096;
    private int _unflushed;
    private bool _filledBuffer;

    /// <summary>Bytes of the body written to the client's response so far.</summary>
    public long Written { get; private set; }

    /// <summary>Where the copy stopped, when it did not complete.</summary>
    public BodyCopyFailure Failure { get; private set; }

    public async ValueTask<bool> CopyAsync(ResponseHead head)
    {
        try
        {
            var complete = head.Framing switch
            {
                BodyFraming.None => true,
                BodyFraming.ContentLength => await CopyLengthAsync(head.ContentLength).ConfigureAwait(false),
                BodyFraming.Chunked => await CopyChunkedAsync().ConfigureAwait(false),
                _ => await CopyToEndAsync().ConfigureAwait(false),
            };
            if (!complete && Failure == BodyCopyFailure.None)
            {
                Failure = BodyCopyFailure.Instance;
            }

            // Kestrel sends what was written after the response started only when it is flushed: ending the
            // request is not enough, and the client would wait forever for the body's last bytes.
            return complete && await FlushAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            Failure = BodyCopyFailure.Client;
            return false;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Failure = BodyCopyFailure.Instance;
            return false;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            Failure = BodyCopyFailure.Client; // the client's connection failed under the write
            return false;
        }
    }

    private async ValueTask<bool> CopyLengthAsync(long length)
    {
        var remaining = length;
        while (remaining > 0)
        {
            if (connection.Start == connection.End && !await ReceiveAsync(remaining).ConfigureAwait(false))
            {
                return false;
            }

            remaining -= WriteBuffered(remaining);
        }

        return true;
    }

    private async ValueTask<bool> CopyToEndAsync()
    {
        while (true)
        {
            WriteBuffered(long.MaxValue);
            if (!await ReceiveAsync(long.MaxValue).ConfigureAwait(false))
            {
                return Failure == BodyCopyFailure.None; // the end of the stream is the end of this body
            }
        }
    }

    private async ValueTask<bool> CopyChunkedAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync().ConfigureAwait(false);
            if (line < 0 || !TryParseChunkSize(connection.Buffered[..line], out var size))
            {
                return false;
            }

            connection.Consume(line + 2);
            if (size == 0)
            {
                return await SkipTrailersAsync().ConfigureAwait(false);
            }

            if (!await CopyLengthAsync(size).ConfigureAwait(false))
            {
                return false;
            }

            var end = await ReadLineAsync().ConfigureAwait(false);
            if (end != 0)
            {
                return false; // chunk data must end with CRLF
            }

            connection.Consume(2);
        }
    }

    private async ValueTask<bool> SkipTrailersAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync().ConfigureAwait(false);
            if (line < 0)
            {
                return false;
            }

            connection.Consume(line + 2);
            if (line == 0)
            {
                return true;
            }
        }
    }

    /// <summary>The length of the next line in the buffer (its CRLF not counted), receiving as needed; -1 on failure.</summary>
    private async ValueTask<int> ReadLineAsync()
    {
        while (true)
        {
            var end = connection.Buffered.IndexOf("\r\n"u8);
            if (end >= 0)
            {
                return end;
            }

            if (connection.End - connection.Start > MaxChunkLineLength || !await ReceiveAsync(0).ConfigureAwait(false))
            {
                return -1;
            }
        }
    }

    // "1a2b" with optional ";extensions"; at most 15 hex digits, so the size fits a long.
    private static bool TryParseChunkSize(ReadOnlySpan<byte> line, out long size)
    {
        var semicolon = line.IndexOf((byte)';');
        var digits = (semicolon < 0 ? line : line[..semicolon]).TrimEnd(" \t"u8);
        size = 0;
        return digits.Length is > 0 and <= 15
            && Utf8Parser.TryParse(digits, out size, out var used, 'X')
            && used == digits.Length;
    }

    private long WriteBuffered(long atMost)
    {
        var take = (int)Math.Min(atMost, connection.End - connection.Start);
        if (take > 0)
        {
            client.Write(connection.Buffered[..take]);
            connection.Consume(take);
            _unflushed += take;
            Written += take;
        }

        return take;
    }

    /// <summary>Sends what was written to the client; false when the client's side has ended.</summary>
    private async ValueTask<bool> FlushAsync()
    {
        if (_unflushed == 0)
        {
            return true;
        }

        _unflushed = 0;
        var flushed = await client.FlushAsync(aborted).ConfigureAwait(false);
        if (flushed.IsCanceled || flushed.IsCompleted)
        {
            Failure = BodyCopyFailure.Client;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Flushes what was written, then receives more from the instance; false at its end of stream. After a
    /// read that filled the whole buffer, with more of the body to come than it holds, the copy moves to a
    /// large buffer: the instance sends faster than one ordinary buffer a read.
    /// </summary>
    private async ValueTask<bool> ReceiveAsync(long bodyLeft)
    {
        if (!await FlushAsync().ConfigureAwait(false))
        {
            return false;
        }

        if (_filledBuffer && bodyLeft > connection.Buffer.Length)
        {
            connection.UseLargeBuffer();
        }

        var received = await connection.ReceiveMoreAsync(aborted).ConfigureAwait(false);
        _filledBuffer = connection.End == connection.Buffer.Length;
        if (received == 0 && connection.EndedByPool)
        {
            Failure = connection.TimedOut ? BodyCopyFailure.TimedOut : BodyCopyFailure.Instance;
        }

        return received > 0;
    }
}
