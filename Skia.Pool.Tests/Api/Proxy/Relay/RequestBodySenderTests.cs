using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Skia.Pool.Api.Proxy.Relay;
using Skia.Pool.Tests.Infrastructure.Http;
using Skia.Pool.Infrastructure.Http;

namespace Skia.Pool.Tests.Api.Proxy.Relay;

/// <summary>
/// The upload's send over a real loopback connection: what one read of the client's body brings, in
/// several of the transport's blocks, arrives at the instance byte for byte, as one chunk when the body
/// is chunked, whether the blocks are arrays (gathered into one send) or native memory (sent one by one).
/// </summary>
public sealed class RequestBodySenderTests
{
    private const int BlockSize = 16 * 1024;

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task SendAsync_BodyInSeveralBlocks_ArrivesWholeAndAsOneChunkPerRead(bool chunked, bool nativeMemory)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var loopback = await LoopbackInstanceConnection.OpenAsync(timeout.Token);
        var (connection, instance) = (loopback.Connection, loopback.Instance);
        using var pool = nativeMemory ? new NativeBlockPool() : null;
        var client = new Pipe(new PipeOptions(pool: pool ?? MemoryPool<byte>.Shared, minimumSegmentSize: BlockSize, pauseWriterThreshold: 0));
        var body = new byte[5 * BlockSize + 123];
        new Random(body.Length).NextBytes(body);
        for (var offset = 0; offset < body.Length; offset += BlockSize)
        {
            var part = body.AsSpan(offset, Math.Min(BlockSize, body.Length - offset));
            part.CopyTo(client.Writer.GetSpan(part.Length));
            client.Writer.Advance(part.Length);
        }

        await client.Writer.CompleteAsync(); // the whole body is there for the sender's first read: one read, several blocks
        var expected = chunked
            ? [.. Encoding.ASCII.GetBytes($"{body.Length:X}\r\n"), .. body, .. "\r\n0\r\n\r\n"u8]
            : body;

        var sender = new RequestBodySender(client.Reader, connection, chunked, timeout.Token);
        await sender.SendAsync();
        var received = await ReceiveAsync(instance, expected.Length, timeout.Token);

        sender.Completed.Should().BeTrue();
        received.Should().Equal(expected);
    }

    [Theory]
    [InlineData(new[] { 10, 20, 30 }, 0, new[] { 10, 20, 30 })]
    [InlineData(new[] { 10, 20, 30 }, 10, new[] { 20, 30 })]
    [InlineData(new[] { 10, 20, 30 }, 15, new[] { 15, 30 })]
    [InlineData(new[] { 10, 20, 30 }, 59, new[] { 1 })]
    [InlineData(new[] { 10, 0, 20 }, 10, new[] { 20 })]
    public void DropSent_PartOfAGatheredSend_LeavesExactlyTheBytesNotSent(int[] lengths, int sent, int[] left)
    {
        var bytes = Enumerable.Range(0, lengths.Sum()).Select(i => (byte)i).ToArray();
        var segments = new List<ArraySegment<byte>>();
        var offset = 0;
        foreach (var length in lengths)
        {
            segments.Add(new ArraySegment<byte>(bytes, offset, length));
            offset += length;
        }

        RelayConnection.DropSent(segments, sent);

        segments.Select(s => s.Count).Should().Equal(left);
        segments.SelectMany(s => s).Should().Equal(bytes.Skip(sent));
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int length, CancellationToken cancellationToken)
    {
        var received = new byte[length + 1]; // one more: a byte beyond what is expected would show
        var total = 0;
        while (total < length)
        {
            var count = await socket.ReceiveAsync(received.AsMemory(total), SocketFlags.None, cancellationToken);
            if (count == 0)
            {
                break;
            }

            total += count;
        }

        return received[..total];
    }

    /// <summary>Blocks of native memory, which no array backs (as a transport with its own pool might give).</summary>
    private sealed class NativeBlockPool : MemoryPool<byte>
    {
        public override int MaxBufferSize => BlockSize;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1) => new NativeBlock(BlockSize);

        protected override void Dispose(bool disposing)
        {
        }
    }

    private sealed unsafe class NativeBlock(int length) : MemoryManager<byte>
    {
        private readonly byte* _pointer = (byte*)NativeMemory.Alloc((nuint)length);

        public override Span<byte> GetSpan() => new(_pointer, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing) => NativeMemory.Free(_pointer);
    }
}
