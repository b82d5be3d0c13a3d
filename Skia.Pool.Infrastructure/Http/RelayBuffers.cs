namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// The relay's socket buffers (a connection's reads, an upload's sends), in two sizes: ordinary ones of
/// <see cref="RelayConnection.BufferSize"/>, and large ones of <see cref="RelayConnection.LargeBufferSize"/>
/// for the rest of a body that arrives faster than one ordinary buffer holds. All are allocated pinned, on
/// the pinned object heap, and kept for reuse. A socket operation pins its buffer; ordinary arrays (the
/// shared <c>ArrayPool</c>'s, once it has more out than it keeps) pinned in gen0 stop the GC from
/// compacting the regions around them. Measured, for the reads, with 100 instances under load
/// (bench/run.sh --only scale): 513 MiB RSS with the shared pool's arrays, 159 MiB with these; YARP's
/// path, 192 MiB (docs/BENCHMARKS.md).
/// </summary>
public static class RelayBuffers
{
    /// <summary>At most this many free ordinary buffers are kept (16 MiB); more are left to the GC.</summary>
    private const int MaxFree = 256;

    /// <summary>At most this many free large buffers are kept (8 MiB): large bodies at once are few.</summary>
    private const int MaxFreeLarge = 8;

    /// <summary>
    /// At most this many large buffers are out at once (16 MiB, and as much again written into Kestrel's
    /// pipes): beyond them a body keeps its ordinary buffer. A client slower than its instance makes every
    /// read fill the ordinary buffer too; without a bound, 200 slow downloads took the service from 112 to
    /// 691 MiB RSS, which it kept (an adversarial review).
    /// </summary>
    private const int MaxLargeOut = 16;

    private static readonly Lock Gate = new();
    private static readonly Stack<byte[]> Free = new();
    private static readonly Stack<byte[]> FreeLarge = new();
    private static int _largeOut;

    /// <summary>An ordinary buffer.</summary>
    public static byte[] Rent() => RentFrom(Free, RelayConnection.BufferSize);

    /// <summary>A large buffer, for the rest of a long body; null when <see cref="MaxLargeOut"/> are out already.</summary>
    public static byte[]? TryRentLarge()
    {
        lock (Gate)
        {
            if (_largeOut >= MaxLargeOut)
            {
                return null;
            }

            _largeOut++;
        }

        return RentFrom(FreeLarge, RelayConnection.LargeBufferSize);
    }

    /// <summary>Gives back a buffer from either <see cref="Rent"/> or <see cref="TryRentLarge"/>.</summary>
    public static void Return(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var large = buffer.Length == RelayConnection.LargeBufferSize;
        var (free, max) = large ? (FreeLarge, MaxFreeLarge) : (Free, MaxFree);
        lock (Gate)
        {
            if (large)
            {
                _largeOut--;
            }

            if (free.Count < max)
            {
                free.Push(buffer);
            }
        }
    }

    private static byte[] RentFrom(Stack<byte[]> free, int size)
    {
        lock (Gate)
        {
            if (free.TryPop(out var buffer))
            {
                return buffer;
            }
        }

        return GC.AllocateUninitializedArray<byte>(size, pinned: true);
    }
}
