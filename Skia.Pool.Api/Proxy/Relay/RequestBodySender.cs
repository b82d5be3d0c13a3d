using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using Skia.Pool.Infrastructure.Http;

namespace Skia.Pool.Api.Proxy.Relay;

/// <summary>
/// Streams the client's request body to the instance while the relay waits for the answer, so an
/// instance that answers before it has read the whole body (a 4xx to an upload) is heard. A body the
/// client fails to deliver (malformed chunks, over the size limit, too slow) ends the instance's
/// connection too, so the wait for its answer ends; <see cref="ClientFailure"/> says why.
/// What one read of the client's body brings (in the transport's 64 KiB blocks, <see cref="Hosting.TransportMemoryPool"/>)
/// goes out in one send per block when it can, else staged in sends of up to 64 KiB, chunk framing included.
/// </summary>
internal sealed class RequestBodySender(PipeReader body, RelayConnection connection, bool chunked, CancellationToken aborted)
{
    private const int SendSize = RelayConnection.BufferSize;

    /// <summary>Room for a chunk's size line ("FFFF\r\n") and the CRLF after its data.</summary>
    private const int FramingSize = 16;

    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

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
                await SendBodyAsync(read.Buffer).ConfigureAwait(false);
                body.AdvanceTo(read.Buffer.End);
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

        var staging = RelayBuffers.Rent(); // pinned: a send pins it, as a receive does
        try
        {
            while (!data.IsEmpty)
            {
                var take = (int)Math.Min(data.Length, SendSize - FramingSize);
                var length = 0;
                if (chunked)
                {
                    take.TryFormat(staging, out length, "X", CultureInfo.InvariantCulture);
                    "\r\n"u8.CopyTo(staging.AsSpan(length));
                    length += 2;
                }

                data.Slice(0, take).CopyTo(staging.AsSpan(length));
                length += take;
                if (chunked)
                {
                    "\r\n"u8.CopyTo(staging.AsSpan(length));
                    length += 2;
                }

                await SendAsync(staging.AsMemory(0, length)).ConfigureAwait(false);
                data = data.Slice(take);
            }
        }
        finally
        {
            RelayBuffers.Return(staging);
        }
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> data) => connection.SendAsync(data, aborted);
}
