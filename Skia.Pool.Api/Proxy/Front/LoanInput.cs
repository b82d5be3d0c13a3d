using System.IO.Pipelines;

namespace Skia.Pool.Api.Proxy.Front;

/// <summary>
/// What Kestrel reads while a connection is lent to it (<see cref="KestrelLoan"/>). Kestrel's HTTP/1.1
/// server reads the next request only after its answer to the last one is written and flushed whole:
/// a read that finds every byte it was given consumed therefore marks that answer complete
/// (<see cref="Answered"/>), and wakes the front, which is copying the answer out.
/// </summary>
internal sealed class LoanInput(PipeReader inner, PipeReader answers) : PipeReader
{
    private SequencePosition? _start;
    private SequencePosition? _end;
    private bool _allConsumed = true;
    private volatile bool _expecting;
    private volatile bool _answered;

    /// <summary>
    /// True once Kestrel has consumed some of the request it was last given: it has parsed it, and may have
    /// acted on it. A request Kestrel only saw (its read returned it, but cancelled: its keep-alive
    /// timeout had just run out) is not received, and may be given to another loan.
    /// </summary>
    public bool Received { get; private set; }

    /// <summary>True once Kestrel has asked for the request after the one it was last given.</summary>
    public bool Answered => _answered;

    /// <summary>A request is about to be given: its answer is not complete until Kestrel asks for the next.</summary>
    public void Expect()
    {
        Received = false;
        _answered = false;
        _allConsumed = false; // a read before the request arrives is not one after its answer
        _expecting = true;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        NoteRead();
        return Track(inner.ReadAsync(cancellationToken));
    }

    public override bool TryRead(out ReadResult result)
    {
        NoteRead();
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Note(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _allConsumed = _end is { } end && consumed.Equals(end);
        Received |= _start is { } start && !consumed.Equals(start);
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    private void NoteRead()
    {
        if (_expecting && _allConsumed)
        {
            _expecting = false;
            _answered = true;
            answers.CancelPendingRead(); // the front may be waiting for more of the answer: there is none
        }
    }

    private void Note(ReadResult result)
    {
        _start = result.Buffer.Start;
        _end = result.Buffer.End;
    }

    private async ValueTask<ReadResult> Track(ValueTask<ReadResult> pending)
    {
        var result = await pending.ConfigureAwait(false);
        Note(result);
        return result;
    }
}
