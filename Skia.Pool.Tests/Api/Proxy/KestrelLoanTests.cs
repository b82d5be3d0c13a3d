using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Skia.Pool.Api.Proxy.Front;

namespace Skia.Pool.Tests.Api.Proxy;

/// <summary>
/// The loan's three endings, with a stand-in for Kestrel's connection handler: it reads and writes the
/// transport it is given, as Kestrel does, so nothing here depends on timing.
/// </summary>
public sealed class KestrelLoanTests
{
    private const string Answer = "HTTP/1.1 204 No Content\r\n\r\n";

    private static readonly ReadOnlySequence<byte> Head = new("GET / HTTP/1.1\r\nHost: pool\r\n\r\n"u8.ToArray());

    [Fact]
    public async Task ServeAsync_KestrelEndedBeforeReading_IsNotReadAndWritesNothing()
    {
        // Kestrel's keep-alive timeout ran out just as the request came: the front may give it to a new loan.
        var client = new Pipe();
        await using var loan = KestrelLoan.Start(Connection(), static _ => Task.CompletedTask);
        using var writer = new FrontResponseWriter(client.Writer, TimeProvider.System);

        var answer = await loan.ServeAsync(Head, writer);

        answer.Should().Be(LoanAnswer.NotRead);
        client.Reader.TryRead(out var written).Should().BeFalse("nothing was answered");
    }

    [Fact]
    public async Task ServeAsync_KestrelsReadCancelledWithTheRequestInIt_IsNotRead()
    {
        // Kestrel's keep-alive timeout cancels its pending read just as the request is written: the read
        // returns the request, cancelled, and Kestrel ends without parsing it. Seen once as a lost POST.
        var client = new Pipe();
        var given = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var loan = KestrelLoan.Start(Connection(), async connection =>
        {
            var input = connection.Transport.Input;
            await given.Task;
            var read = await input.ReadAsync();
            input.AdvanceTo(read.Buffer.Start, read.Buffer.End); // looked at, not consumed: as Kestrel leaves a cancelled read
        });
        using var writer = new FrontResponseWriter(client.Writer, TimeProvider.System);

        var serving = loan.ServeAsync(Head, writer);
        given.SetResult();
        var answer = await serving;

        answer.Should().Be(LoanAnswer.NotRead, "Kestrel never took the request: a new loan may");
    }

    [Fact]
    public async Task ServeAsync_KestrelAnswersAndReadsAgain_IsAnsweredWithTheWholeAnswer()
    {
        var client = new Pipe();
        await using var loan = KestrelLoan.Start(Connection(), connection => AnswerAsync(connection, thenClose: false));
        using var writer = new FrontResponseWriter(client.Writer, TimeProvider.System);

        var first = await loan.ServeAsync(Head, writer);
        var second = await loan.ServeAsync(Head, writer);

        first.Should().Be(LoanAnswer.Answered);
        second.Should().Be(LoanAnswer.Answered, "one loan serves request after request");
        (await ReadAsync(client.Reader, Answer.Length * 2)).Should().Be(Answer + Answer);
    }

    [Fact]
    public async Task ServeAsync_KestrelAnswersAndCloses_IsClosedWithTheWholeAnswer()
    {
        // After Connection: close or a 400: the answer is the client's, and the request is not given again.
        var client = new Pipe();
        await using var loan = KestrelLoan.Start(Connection(), connection => AnswerAsync(connection, thenClose: true));
        using var writer = new FrontResponseWriter(client.Writer, TimeProvider.System);

        var answer = await loan.ServeAsync(Head, writer);

        answer.Should().Be(LoanAnswer.Closed);
        (await ReadAsync(client.Reader, Answer.Length)).Should().Be(Answer);
    }

    /// <summary>A connection whose transport the loan replaces with its own pipes.</summary>
    private static DefaultConnectionContext Connection()
    {
        var pair = new DuplexPipe(new Pipe().Reader, new Pipe().Writer);
        return new DefaultConnectionContext("loan-test", pair, pair);
    }

    /// <summary>What Kestrel's HTTP/1.1 connection does with the transport: read a head, write an answer, read again.</summary>
    private static async Task AnswerAsync(ConnectionContext connection, bool thenClose)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        while (true)
        {
            var read = await input.ReadAsync();
            if (read.IsCompleted && read.Buffer.IsEmpty)
            {
                return;
            }

            input.AdvanceTo(read.Buffer.End);
            await output.WriteAsync(Encoding.ASCII.GetBytes(Answer));
            if (thenClose)
            {
                return;
            }
        }
    }

    private static async Task<string> ReadAsync(PipeReader reader, int length)
    {
        while (true)
        {
            var read = await reader.ReadAsync();
            if (read.Buffer.Length >= length || read.IsCompleted)
            {
                var text = Encoding.ASCII.GetString(read.Buffer.ToArray());
                reader.AdvanceTo(read.Buffer.End);
                return text;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
