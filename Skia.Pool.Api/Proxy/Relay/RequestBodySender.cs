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
/// </summary>
internal sealed class RequestBodySender(PipeReader body, RelayConnection connection, bool chunked, CancellationToken aborted)
{
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

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
                foreach (var segment in read.Buffer)
                {
                    await SendChunkAsync(segment).ConfigureAwait(false);
                }

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
            EndInstanceConnection();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            ClientGone = true;
            EndInstanceConnection();
        }
    }

    /// <summary>Ends a pending read of the client's body; the send then stops.</summary>
    public void Stop() => body.CancelPendingRead();

    private void EndInstanceConnection()
    {
        try
        {
            connection.Socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    private async ValueTask SendChunkAsync(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (!chunked)
        {
            await SendAsync(data).ConfigureAwait(false);
            return;
        }

        var size = ArrayPool<byte>.Shared.Rent(20);
        try
        {
            var length = System.Text.Encoding.ASCII.GetBytes(data.Length.ToString("X", CultureInfo.InvariantCulture) + "\r\n", size);
            await SendAsync(size.AsMemory(0, length)).ConfigureAwait(false);
            await SendAsync(data).ConfigureAwait(false);
            await SendAsync(LineEnd).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(size);
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await connection.Socket.SendAsync(data, SocketFlags.None, aborted).ConfigureAwait(false);
            connection.Touch();
            data = data[sent..];
        }
    }
}
