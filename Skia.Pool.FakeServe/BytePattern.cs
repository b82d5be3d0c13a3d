namespace Skia.Pool.FakeServe;

/// <summary>
/// Deterministic filler for large responses: byte i of a body is <c>'a' + i % 26</c>, so a client can check
/// any byte it got (and where a body was cut) without FakeServe ever holding a whole body.
/// </summary>
internal static class BytePattern
{
    /// <summary>A whole number of alphabets, so consecutive chunks continue the pattern.</summary>
    private static readonly byte[] Chunk = CreateChunk(26 * 2520);

    public static async Task WriteAsync(Stream destination, long count, CancellationToken cancellationToken)
    {
        for (var left = count; left > 0;)
        {
            var length = (int)Math.Min(left, Chunk.Length);
            await destination.WriteAsync(Chunk.AsMemory(0, length), cancellationToken);
            left -= length;
        }
    }

    private static byte[] CreateChunk(int length)
    {
        var chunk = new byte[length];
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = (byte)('a' + (i % 26));
        }

        return chunk;
    }
}
