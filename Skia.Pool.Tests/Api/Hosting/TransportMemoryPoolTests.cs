using Skia.Pool.Api.Hosting;

namespace Skia.Pool.Tests.Api.Hosting;

/// <summary>The blocks Kestrel's transport reads and writes in: 64 KiB, reused, never handed out twice at once.</summary>
public sealed class TransportMemoryPoolTests
{
    [Fact]
    public void Rent_AnySizeUpToABlock_IsAWholeBlockAndAReturnedBlockIsReused()
    {
        using var pool = new TransportMemoryPool();
        var first = pool.Rent(100);
        first.Memory.Length.Should().Be(TransportMemoryPool.BlockSize);
        first.Memory.Span[0] = 42;
        first.Dispose();

        using var second = pool.Rent();

        second.Should().BeSameAs(first);
    }

    [Fact]
    public void Dispose_Twice_PutsTheBlockBackOnce()
    {
        using var pool = new TransportMemoryPool();
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();

        using var a = pool.Rent();
        using var b = pool.Rent();

        a.Should().NotBeSameAs(b, "one block must never back two rentals");
    }

    [Fact]
    public void Rent_MoreThanABlock_Throws()
    {
        using var pool = new TransportMemoryPool();

        var renting = () => pool.Rent(TransportMemoryPool.BlockSize + 1);

        renting.Should().Throw<ArgumentOutOfRangeException>();
    }
}
