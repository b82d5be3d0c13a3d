using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Skia.Pool.Infrastructure.Http;

namespace Skia.Pool.Api.Proxy.Relay;

/// <summary>
/// Streams the client's request body to the instance while the relay waits for the answer, so an
/// instance that answers before it has read the whole body (a 4xx to an upload) is heard. A body the
/// client fails to deliver (malformed chunks, over the size limit, too slow) ends the instance's
/// connection too, so the wait for its answer ends; <see cref="ClientFailure"/> says why.
/// What one read of the client's body brings (in the transport's 64 KiB blocks, <see cref="Hosting.TransportMemoryPool"/>)
/// goes out in one gathered send, straight from those blocks, and as one chunk when the body is chunked:
/// copying it into a send buffer first was 3.5–4.7% of an upload's profile samples (docs/BENCHMARKS.md, item 13).
/// </summary>
internal sealed class RequestBodySender(PipeReader body, RelayConnection connection, bool chunked, CancellationToken aborted)
{
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    private static readonly ArraySegment<byte> Crlf = "\r\n"u8.ToArray();

    /// <summary>A chunk's size line: up to 16 hex digits and CRLF.</summary>
    private readonly byte[] _sizeLine = new byte[18];

    /// <summary>The segments of the send under way, reused from read to read.</summary>
    private readonly List<ArraySegment<byte>> _segments = [];

    /// <summary>Kestrel's reason when the client's body was at fault (it carries the status to answer with).</summary>
    public BadHttpRequestException? ClientFailure { get; private set; }

    /// <summary>True when the client went away while its body was being read.</summary>
    public bool ClientGone { get; private set; }

    /// <summary>True once the whole body, with its last chunk, reached the instance.</summary>
    public bool Completed { get; private set; }

    public async Task SendAsync()
    {
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(aborted).ConfigureAwait(false);
                try
                {
                    await SendBodyAsync(read.Buffer).ConfigureAwait(false);
                }
                finally
                {
                    // Also when the send failed (the instance answered and the exchange ended it): a read
                    // never advanced leaves the body reader busy, and Kestrel, unable to drain the rest of
                    // the body, would drop the client's connection and the next request on it.
                    body.AdvanceTo(read.Buffer.End);
                }

                if (read.IsCanceled)
                {
                    return; // stopped: the exchange is over
                }

                if (read.IsCompleted)
                {
                    break;
                }
            }

            if (chunked)
            {
                await SendAsync(LastChunk).ConfigureAwait(false);
            }

            Completed = true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The instance stopped reading (it may have answered already): the answer, or its absence, says the rest.
        }
        catch (BadHttpRequestException bad)
        {
            ClientFailure = bad;
            connection.EndExchange();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            ClientGone = true;
            connection.EndExchange();
        }
    }

    /// <summary>Ends a pending read of the client's body; the send then stops.</summary>
    public void Stop() => body.CancelPendingRead();

    private async ValueTask SendBodyAsync(ReadOnlySequence<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (!chunked && data.IsSingleSegment)
        {
            await SendAsync(data.First).ConfigureAwait(false);
            return;
        }

        // What the read brought goes out as it lies in the client's buffers (no copy), framed as one chunk when chunked.
        var sizeLine = chunked ? SizeLine(data.Length) : default;
        if (!TryGather(sizeLine, data))
        {
            await SendOneByOneAsync(sizeLine, data).ConfigureAwait(false);
            return;
        }

        try
        {
            await connection.SendAsync(_segments).ConfigureAwait(false);
        }
        finally
        {
            _segments.Clear(); // no reference to the client's buffers outlives the read they came in
        }
    }

    /// <summary>The chunk's size line, in this sender's own small buffer.</summary>
    private ArraySegment<byte> SizeLine(long size)
    {
        size.TryFormat(_sizeLine, out var length, "X", CultureInfo.InvariantCulture);
        "\r\n"u8.CopyTo(_sizeLine.AsSpan(length));
        return new ArraySegment<byte>(_sizeLine, 0, length + 2);
    }

    /// <summary>Lists the segments of one send; false (and none listed) when some memory is not an array's.</summary>
    private bool TryGather(ArraySegment<byte> sizeLine, ReadOnlySequence<byte> data)
    {
        if (chunked)
        {
            _segments.Add(sizeLine);
        }

        foreach (var memory in data)
        {
            if (!MemoryMarshal.TryGetArray(memory, out var segment))
            {
                _segments.Clear();
                return false;
            }

            _segments.Add(segment);
        }

        if (chunked)
        {
            _segments.Add(Crlf);
        }

        return true;
    }

    /// <summary>For memory no array backs (a transport without Kestrel's pools): one send per segment.</summary>
    private async ValueTask SendOneByOneAsync(ArraySegment<byte> sizeLine, ReadOnlySequence<byte> data)
    {
        if (chunked)
        {
            await SendAsync(sizeLine).ConfigureAwait(false);
        }

        foreach (var memory in data)
        {
            await SendAsync(memory).ConfigureAwait(false);
        }

        if (chunked)
        {
            await SendAsync(Crlf).ConfigureAwait(false);
        }
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> data) => connection.SendAsync(data, aborted);
}
