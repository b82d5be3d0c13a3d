using System.Buffers.Text;
using System.IO.Pipelines;

namespace Skia.Pool.Api.Proxy.Front;

/// <summary>
/// The client's side of the connection as the front writes an answer into it: what Kestrel's response
/// writer would do for the body, and no more. With <see cref="Chunked"/> set, every write becomes one
/// chunk (a body whose length the instance did not announce: it is decoded by the copier and coded
/// again here, as Kestrel codes it). Every flush is timed: a client that takes the answer slower than
/// Kestrel's <c>MinResponseDataRate</c> allows (240 bytes/s after a 5 s grace) has the flush cancelled,
/// and the front ends its connection.
/// </summary>
internal sealed class FrontResponseWriter : PipeWriter, IDisposable
{
    /// <summary>Room before each chunk's data for its size (eight hex digits) and CRLF; its CRLF after.</summary>
    private const int ChunkPrefix = 10;
    private const int ChunkOverhead = ChunkPrefix + 2;
    private const int MinChunk = 4096;
    private const double MinBytesPerSecond = 240;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly PipeWriter _inner;
    private readonly ITimer _stall;
    private Memory<byte> _chunk;
    private long _unflushed;
    private int _stalled;

    public FrontResponseWriter(PipeWriter inner, TimeProvider time)
    {
        _inner = inner;
        _stall = time.CreateTimer(static state => ((FrontResponseWriter)state!).Stall(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True while writes are chunks of a body coded as chunked; set after the head is written.</summary>
    public bool Chunked { get; set; }

    /// <summary>True once a flush was cancelled because the client took too long.</summary>
    public bool Stalled => Volatile.Read(ref _stalled) != 0;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (!Chunked)
        {
            return _inner.GetMemory(sizeHint);
        }

        _chunk = _inner.GetMemory(Math.Max(sizeHint, MinChunk) + ChunkOverhead);
        return _chunk[ChunkPrefix..^2];
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        _unflushed += bytes;
        if (!Chunked)
        {
            _inner.Advance(bytes);
            return;
        }

        if (bytes == 0)
        {
            return;
        }

        // "0000ffff\r\n" data "\r\n": a chunk size may have leading zeros (RFC 9112 7.1), so the prefix is written in place.
        var span = _chunk.Span;
        Utf8Formatter.TryFormat((uint)bytes, span[..8], out _, new System.Buffers.StandardFormat('X', 8));
        "\r\n"u8.CopyTo(span[8..]);
        "\r\n"u8.CopyTo(span[(ChunkPrefix + bytes)..]);
        _inner.Advance(bytes + ChunkOverhead);
    }

    /// <summary>The last chunk and the empty trailer section, ending a chunked body.</summary>
    public void EndChunks()
    {
        Chunked = false;
        Write("0\r\n\r\n"u8);
    }

    /// <summary>True while bytes written have not been flushed.</summary>
    public bool HasUnflushed => _unflushed > 0;

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        var allowed = Grace + TimeSpan.FromSeconds(_unflushed / MinBytesPerSecond);
        _unflushed = 0;
        _stall.Change(allowed, Timeout.InfiniteTimeSpan);
        try
        {
            return await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _stall.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    /// <summary>Not for the front's use: the transport's writer is completed by Kestrel when the connection ends.</summary>
    public override void Complete(Exception? exception = null) => throw new NotSupportedException();

    public void Dispose() => _stall.Dispose();

    private void Stall()
    {
        Volatile.Write(ref _stalled, 1);
        _inner.CancelPendingFlush();
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_inner.GetSpan(bytes.Length));
        _inner.Advance(bytes.Length);
        _unflushed += bytes.Length;
    }
}
