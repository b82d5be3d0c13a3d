using System.Net;

namespace Skia.Pool.Bench;

/// <summary>A request body of any length made from one repeated buffer: the client holds 1 MiB, not the body.</summary>
internal sealed class PatternContent(long bodyLength) : HttpContent
{
    private static readonly byte[] Chunk = CreateChunk(1024 * 1024);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        for (var left = bodyLength; left > 0;)
        {
            var count = (int)Math.Min(left, Chunk.Length);
            await stream.WriteAsync(Chunk.AsMemory(0, count), cancellationToken);
            left -= count;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = bodyLength;
        return true;
    }

    private static byte[] CreateChunk(int size)
    {
        var chunk = new byte[size];
        for (var i = 0; i < size; i++)
        {
            chunk[i] = (byte)('a' + (i % 26));
        }

        return chunk;
    }
}
