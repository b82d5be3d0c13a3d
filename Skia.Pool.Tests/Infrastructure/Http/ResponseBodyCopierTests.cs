using System.IO.Pipelines;
using System.Net.Sockets;
using Skia.Pool.Infrastructure.Http;

namespace Skia.Pool.Tests.Infrastructure.Http;

/// <summary>
/// The relay's body copy over a real loopback connection: a body that arrives faster than one ordinary
/// read buffer holds moves to the large buffer for the rest, and a short one never does.
/// </summary>
[Collection(RelayBuffersCollection.Name)]
public sealed class ResponseBodyCopierTests
{
    [Theory]
    [InlineData(3 * 1024 * 1024 + 5, RelayConnection.LargeBufferSize)]
    [InlineData(100 * 1024, RelayConnection.BufferSize)] // after one full read, less is left than the ordinary buffer holds
    public async Task CopyAsync_LengthFramedBody_ArrivesWholeAndTakesTheLargeBufferOnlyWhenMoreIsLeftThanABufferHolds(int length, int bufferAfter)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var loopback = await LoopbackInstanceConnection.OpenAsync(timeout.Token);
        var (connection, instance) = (loopback.Connection, loopback.Instance);
        var body = new byte[length];
        new Random(length).NextBytes(body);

        // The first 192 KiB are in the kernel's buffers before the copy begins, so its first read fills the buffer.
        var head = Math.Min(length, 192 * 1024);
        await instance.SendAsync(body.AsMemory(0, head), SocketFlags.None, timeout.Token);
        var rest = instance.SendAsync(body.AsMemory(head), SocketFlags.None, timeout.Token).AsTask();
        using var received = new MemoryStream();
        var client = PipeWriter.Create(received, new StreamPipeWriterOptions(leaveOpen: true));

        var copied = await new ResponseBodyCopier(connection, client, timeout.Token)
            .CopyAsync(new ResponseHead(200, BodyFraming.ContentLength, length, KeepAlive: true));
        await rest;

        copied.Should().BeTrue();
        connection.Buffer.Length.Should().Be(bufferAfter);
        received.ToArray().Should().Equal(body);
    }
}
