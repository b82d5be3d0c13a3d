using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Skia.Pool.Api.Hosting;

/// <summary>
/// The memory Kestrel's socket transport reads clients' bytes into and writes answers from, in blocks
/// of <see cref="BlockSize"/> rather than Kestrel's own 4 KiB. The transport receives into what is left
/// of its current block, so with 4 KiB blocks an upload took one receive per 4 KiB: through the relay, a
/// GiB cost 1.2–1.7 s of the service's CPU, most of it in the kernel's receive path; with these, 0.7–1.0 s
/// (docs/BENCHMARKS.md), and small requests cost the same. Blocks are pinned (a pending receive pins its
/// memory) and reused; at most <see cref="MaxFree"/> are kept free, where Kestrel's own pool also gives
/// idle memory back over time. A connection holds a block only while bytes are in flight on it: Kestrel
/// waits for data before it takes a block for a read.
/// </summary>
internal sealed class TransportMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    /// <summary>Free blocks kept (16 MiB); more are left to the GC.</summary>
    private const int MaxFree = 256;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            block.Rented();
            return block;
        }

        return new Block(this);
    }

    protected override void Dispose(bool disposing)
    {
        // Blocks may still be out when the server stops; they go to the GC with the pool.
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _freeCount) <= MaxFree)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    private sealed class Block(TransportMemoryPool pool) : IMemoryOwner<byte>
    {
        private int _returned;

        public Memory<byte> Memory { get; } = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), 0, BlockSize);

        public void Rented() => Volatile.Write(ref _returned, 0);

        // Once per rent: a second Dispose must not put the block in the queue twice.
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                pool.Return(this);
            }
        }
    }
}
