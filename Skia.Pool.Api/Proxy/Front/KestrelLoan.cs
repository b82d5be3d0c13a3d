using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Skia.Pool.Api.Proxy.Front;

/// <summary>
/// Kestrel's HTTP server, lent a connection the front keeps: the front passes it one request at a time
/// (a request head with no body, whole, exactly as the client sent it) and copies its answer to the
/// client, then goes on reading the connection itself. So a browser's connection that began with the
/// landing page, <c>POST /instanceNew</c> or an instance's start comes back to the front for the page's
/// requests after them. Kestrel reads from and writes to pipes of the loan's own; it asks for the next
/// request only once its answer to the last one is written whole, which is how the front knows that
/// answer is complete (<see cref="LoanInput"/>). A request the front cannot frame (a body, an upgrade)
/// ends the lending: from then on every byte is copied between the client and Kestrel both ways
/// (<see cref="RelayForeverAsync"/>).
/// </summary>
internal sealed class KestrelLoan : IAsyncDisposable
{
    private static readonly PipeOptions Options = new(
        readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.ThreadPool, useSynchronizationContext: false);

    private readonly Pipe _toKestrel = new(Options);
    private readonly Pipe _fromKestrel = new(Options);
    private readonly LoanInput _input;
    private readonly LoanConnection _connection;
    private readonly Task _kestrel;
    private long _copied;

    private KestrelLoan(ConnectionContext connection, ConnectionDelegate next)
    {
        _input = new LoanInput(_toKestrel.Reader, _fromKestrel.Reader);
        _connection = new LoanConnection(connection, new DuplexPipe(_input, _fromKestrel.Writer));
        _kestrel = Task.Run(() => next(_connection));
        // Kestrel's connection returns when it will answer no more (after Connection: close, a 400, shutdown,
        // its keep-alive timeout); it leaves the pipes open (the transport owns them), so the copy of its
        // answers is woken here.
        _kestrel.ContinueWith(static (_, loan) => ((KestrelLoan)loan!).KestrelEnded(), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>True once Kestrel has ended its side (it closes the connection after an answer, or it was idle too long).</summary>
    public bool Ended => _kestrel.IsCompleted || _connection.Aborted;

    /// <summary>Lends <paramref name="connection"/> to Kestrel; the front's own reader and writer of it stay the front's.</summary>
    public static KestrelLoan Start(ConnectionContext connection, ConnectionDelegate next) => new(connection, next);

    /// <summary>
    /// Passes one bodiless request head to Kestrel and copies its whole answer to <paramref name="client"/>.
    /// <see cref="LoanAnswer.NotRead"/> when Kestrel ended its side before it read the request (its
    /// keep-alive timeout ran out just as the request came): nothing was answered, and the request can be
    /// given to a new loan.
    /// </summary>
    public async ValueTask<LoanAnswer> ServeAsync(ReadOnlySequence<byte> head, FrontResponseWriter client)
    {
        _input.Expect();
        _copied = 0;
        _connection.Answering = true;
        try
        {
            foreach (var segment in head)
            {
                _toKestrel.Writer.Write(segment.Span);
            }

            await _toKestrel.Writer.FlushAsync().ConfigureAwait(false);
            if (await CopyAnswersAsync(client, untilAnswered: true).ConfigureAwait(false))
            {
                return LoanAnswer.Answered;
            }
        }
        finally
        {
            _connection.Answering = false;
        }

        return _copied == 0 && !_input.Received ? LoanAnswer.NotRead : LoanAnswer.Closed;
    }

    /// <summary>
    /// Gives Kestrel the rest of the connection: copies the client's bytes to it and its bytes to the client
    /// until either side ends. <paramref name="client"/> is the front's reader of the client's connection.
    /// </summary>
    public async Task RelayForeverAsync(PipeReader client, FrontResponseWriter output)
    {
        _connection.Answering = true; // from now on the connection is Kestrel's, its aborts included
        var up = CopyUpAsync(client);
        await CopyAnswersAsync(output, untilAnswered: false).ConfigureAwait(false);
        client.CancelPendingRead(); // Kestrel is done with the connection: so is the copy up to it
        await up.ConfigureAwait(false);
    }

    /// <summary>
    /// Copies what Kestrel writes to the client: until Kestrel asks for the next request (true), or until it
    /// will write no more (false), whichever comes first. Kestrel has written and flushed all it had to
    /// before either, so what the pipe holds then is the rest.
    /// </summary>
    private async ValueTask<bool> CopyAnswersAsync(FrontResponseWriter client, bool untilAnswered)
    {
        var reader = _fromKestrel.Reader;
        while (true)
        {
            var read = await reader.ReadAsync().ConfigureAwait(false);
            var copied = await CopyAsync(read.Buffer, client).ConfigureAwait(false);
            reader.AdvanceTo(read.Buffer.End);
            if (!copied || read.IsCompleted)
            {
                return false;
            }

            var done = _kestrel.IsCompleted;
            if (done || (untilAnswered && _input.Answered))
            {
                while (reader.TryRead(out var rest))
                {
                    copied = rest.Buffer.IsEmpty || await CopyAsync(rest.Buffer, client).ConfigureAwait(false);
                    reader.AdvanceTo(rest.Buffer.End);
                    if (!copied || rest.IsCompleted || rest.Buffer.IsEmpty)
                    {
                        break;
                    }
                }

                return copied && !done;
            }
        }
    }

    /// <summary>
    /// Ends the loan: Kestrel's input ends and its answers are no longer read. Kestrel's connection is not
    /// waited for: it waits in turn for the client's connection to close (its drain of the last answer),
    /// which happens only once the front returns.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _connection.End();
        await _toKestrel.Writer.CompleteAsync().ConfigureAwait(false);
        await _fromKestrel.Reader.CompleteAsync().ConfigureAwait(false);
        _ = _kestrel.ContinueWith(static ended => _ = ended.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void KestrelEnded()
    {
        _connection.End();
        _fromKestrel.Reader.CancelPendingRead();
    }

    private async Task CopyUpAsync(PipeReader client)
    {
        try
        {
            while (true)
            {
                var read = await client.ReadAsync().ConfigureAwait(false);
                foreach (var segment in read.Buffer)
                {
                    _toKestrel.Writer.Write(segment.Span);
                }

                client.AdvanceTo(read.Buffer.End);
                var flushed = await _toKestrel.Writer.FlushAsync().ConfigureAwait(false);
                if (read.IsCompleted || read.IsCanceled || flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException or InvalidOperationException)
        {
            // The client's connection failed: Kestrel sees the end of its input.
        }

        await _toKestrel.Writer.CompleteAsync().ConfigureAwait(false);
    }

    private async ValueTask<bool> CopyAsync(ReadOnlySequence<byte> bytes, FrontResponseWriter client)
    {
        if (bytes.IsEmpty)
        {
            return true;
        }

        _copied += bytes.Length;
        foreach (var segment in bytes)
        {
            var rest = segment.Span;
            while (!rest.IsEmpty)
            {
                var target = client.GetSpan();
                var length = Math.Min(target.Length, rest.Length);
                rest[..length].CopyTo(target);
                client.Advance(length);
                rest = rest[length..];
            }
        }

        try
        {
            var flushed = await client.FlushAsync().ConfigureAwait(false);
            return !flushed.IsCanceled && !flushed.IsCompleted;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>How a request lent to Kestrel ended.</summary>
internal enum LoanAnswer
{
    /// <summary>Answered whole; Kestrel waits for the next request.</summary>
    Answered,

    /// <summary>The connection ends: Kestrel closed its side after its answer, or the client stopped taking it.</summary>
    Closed,

    /// <summary>Kestrel had ended its side before it read the request: nothing was answered.</summary>
    NotRead,
}
