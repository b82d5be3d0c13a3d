using System.Net;
using System.Net.Sockets;

namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// One keep-alive connection to an instance for the service's own HTTP/1.1 relay: the socket, a read
/// buffer that outlives each exchange (what arrived beyond a response head is the start of its body),
/// and the time of its last I/O, so <see cref="InstanceConnections"/> can end one that has gone quiet.
/// </summary>
public sealed class RelayConnection : IDisposable, ITrackedConnection
{
    /// <summary>
    /// Room for any ordinary response head, and as much of a body as one read brings: 64 KiB, as YARP's
    /// copy buffer. With 16 KiB a 64 KiB answer took about a fifth more CPU, in reads and flushes (docs/BENCHMARKS.md).
    /// </summary>
    public const int BufferSize = 64 * 1024;

    /// <summary>
    /// The read buffer for the rest of a body that fills <see cref="BufferSize"/> in one read (a large
    /// download): 1 MiB. Each read then costs its wake-ups and flushes once per MiB rather than per 64 KiB:
    /// a GiB took 0.57–0.59 s of the service's CPU instead of 0.84–0.95 s, and came 1.4× as fast (docs/BENCHMARKS.md).
    /// </summary>
    public const int LargeBufferSize = 1024 * 1024;

    private static readonly byte[] NoBuffer = [];

    private readonly InstanceConnections _owner;
    private readonly TimeProvider _time;
    private long _lastActivity;
    private int _disposed;

    internal RelayConnection(Socket socket, InstanceConnections owner, int port, TimeProvider time)
    {
        Socket = socket;
        _owner = owner;
        _time = time;
        Port = port;
        LocalPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        EnsureBuffer();
        Touch();
    }

    public Socket Socket { get; }

    /// <summary>The instance's port.</summary>
    public int Port { get; }

    /// <summary>This end's port, by which the instance's process tree can be checked to hold the other end.</summary>
    public int LocalPort { get; }

    /// <summary>
    /// The read buffer; <see cref="Start"/>..<see cref="End"/> holds bytes received and not consumed yet.
    /// Held only during an exchange: an idle connection gives it back to the pool.
    /// </summary>
    public byte[] Buffer { get; private set; } = NoBuffer;

    public int Start { get; set; }

    public int End { get; set; }

    /// <summary>True once it has carried an exchange: a failure before any answer may then be a stale connection.</summary>
    public bool Reused { get; internal set; }

    /// <summary>Set when the connection was ended because nothing moved on it for the activity timeout.</summary>
    public bool TimedOut { get; private set; }

    /// <summary>Set when the pool ended it (its instance stopped or restarted, or it went quiet): an end of stream here is not the instance's.</summary>
    public bool EndedByPool { get; private set; }

    internal long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>Records I/O: a connection that moves data is never ended as quiet.</summary>
    public void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    /// <summary>The buffered, unconsumed bytes.</summary>
    public ReadOnlySpan<byte> Buffered => Buffer.AsSpan(Start, End - Start);

    /// <summary>
    /// Receives more bytes after the buffered ones, first moving them to the front. Returns the count
    /// received: 0 is the end of the stream, -1 a full buffer (a response head larger than it).
    /// </summary>
    public async ValueTask<int> ReceiveMoreAsync(CancellationToken cancellationToken)
    {
        if (Start > 0)
        {
            MoveBufferedTo(Buffer);
        }

        if (End == Buffer.Length)
        {
            return -1;
        }

        var received = await Socket.ReceiveAsync(Buffer.AsMemory(End), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        End += received;
        Touch();
        return received;
    }

    /// <summary>Sends all of <paramref name="data"/>.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await Socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            Touch();
            data = data[sent..];
        }
    }

    /// <summary>Sends all of <paramref name="data"/>; false when the connection failed under it (the instance closed it, or the exchange was ended).</summary>
    public async ValueTask<bool> TrySendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(data, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends all of <paramref name="segments"/> in as few gathered sends (sendmsg with one iovec per
    /// segment) as the socket takes, copying none of them. The list is consumed: it is empty afterwards.
    /// A pending send is ended by <see cref="EndExchange"/>, not by a token (this overload of the socket takes none).
    /// </summary>
    public async ValueTask SendAsync(List<ArraySegment<byte>> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        while (segments.Count > 0)
        {
            var sent = await Socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
            Touch();
            DropSent(segments, sent);
        }
    }

    /// <summary>Removes the first <paramref name="sent"/> bytes from the segments (a send that took only part).</summary>
    internal static void DropSent(List<ArraySegment<byte>> segments, int sent)
    {
        var whole = 0;
        while (whole < segments.Count && sent >= segments[whole].Count)
        {
            sent -= segments[whole].Count;
            whole++;
        }

        segments.RemoveRange(0, whole);
        if (sent > 0)
        {
            segments[0] = segments[0][sent..];
        }
    }

    /// <summary>Ends the connection both ways, for the exchange's own reasons (cut short, or answered before the upload was sent).</summary>
    public void EndExchange() => SocketEnds.ShutDownBoth(Socket);

    /// <summary>Drops <paramref name="count"/> buffered bytes as consumed.</summary>
    public void Consume(int count)
    {
        Start += count;
        if (Start == End)
        {
            Start = End = 0;
        }
    }

    /// <summary>Moves the buffered bytes into a large buffer, for the rest of a long body, if one is free; given back when the exchange ends.</summary>
    public void UseLargeBuffer()
    {
        if (Buffer.Length >= LargeBufferSize)
        {
            return;
        }

        if (RelayBuffers.TryRentLarge() is not { } large)
        {
            return; // as many large bodies under way as the bound allows: this one keeps its buffer
        }

        MoveBufferedTo(large);
        RelayBuffers.Return(Buffer);
        Buffer = large;
    }

    /// <summary>Puts the unconsumed bytes at the start of <paramref name="target"/> (the same buffer or a new one).</summary>
    private void MoveBufferedTo(byte[] target)
    {
        Buffered.CopyTo(target); // overlapping copies within one buffer are safe
        End -= Start;
        Start = 0;
    }

    /// <summary>Takes a read buffer for an exchange, unless it holds one.</summary>
    internal void EnsureBuffer()
    {
        if (Buffer.Length == 0)
        {
            Buffer = RelayBuffers.Rent();
        }
    }

    /// <summary>Gives the read buffer back while the connection is idle (nothing is left in it then).</summary>
    internal void ReleaseBuffer()
    {
        if (Buffer.Length > 0)
        {
            RelayBuffers.Return(Buffer);
            Buffer = NoBuffer;
        }

        Start = End = 0;
    }

    /// <summary>Ends the connection both ways; a pending receive sees the end of the stream.</summary>
    internal void ShutDown(bool timedOut = false)
    {
        EndedByPool = true;
        TimedOut |= timedOut;
        EndExchange();
    }

    void ITrackedConnection.ShutDown() => ShutDown();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _owner.Untrack(this);
        Socket.Dispose();
        ReleaseBuffer();
    }
}
