namespace Skia.Pool.Infrastructure.Http;

/// <summary>
/// The relay's socket buffers (a connection's reads, an upload's sends), <see cref="RelayConnection.BufferSize"/>
/// each: allocated pinned, on the pinned object heap, and kept for reuse. A socket operation pins its
/// buffer; ordinary arrays (the shared <c>ArrayPool</c>'s, once it has more out than it keeps) pinned in
/// gen0 stop the GC from compacting the regions around them. Measured, for the reads, with
/// 100 instances under load (bench/run.sh --only scale): 513 MiB RSS with the shared pool's arrays,
/// 159 MiB with these; YARP's path, 192 MiB (docs/BENCHMARKS.md).
/// </summary>
public static class RelayBuffers
{
    /// <summary>At most this many free buffers are kept (16 MiB); more are left to the GC.</summary>
    private const int MaxFree = 256;

    private static readonly Lock Gate = new();
    private static readonly Stack<byte[]> Free = new();

    public static byte[] Rent()
    {
        lock (Gate)
        {
            if (Free.TryPop(out var buffer))
            {
                return buffer;
            }
        }

        return GC.AllocateUninitializedArray<byte>(RelayConnection.BufferSize, pinned: true);
    }

    public static void Return(byte[] buffer)
    {
        lock (Gate)
        {
            if (Free.Count < MaxFree)
            {
                Free.Push(buffer);
            }
        }
    }
}
