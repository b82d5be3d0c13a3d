using System.Runtime.InteropServices;

namespace Skia.Pool.FakeServe;

/// <summary>
/// SIGTERM and SIGINT, handled here rather than by the host so that <c>--ignore-sigterm</c> can really ignore
/// them and so that a stop requested before the server listens (during a listen delay, or with
/// <c>--never-listen</c>) still ends the process cleanly.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _requested = new();
    private readonly bool _ignore;
    private readonly PosixSignalRegistration _terminate;
    private readonly PosixSignalRegistration _interrupt;

    public ShutdownSignals(bool ignore)
    {
        _ignore = ignore;
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>Cancelled when a stop was requested by a signal.</summary>
    public CancellationToken Requested => _requested.Token;

    /// <summary>Waits for a stop request; with signals ignored, waits until the process is killed.</summary>
    public Task WaitAsync() => DelayAsync(Timeout.InfiniteTimeSpan);

    /// <summary>Waits <paramref name="delay"/>; false when a stop was requested meanwhile.</summary>
    public async Task<bool> DelayAsync(TimeSpan delay)
    {
        await Task.Delay(delay, TimeProvider.System, Requested).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return !Requested.IsCancellationRequested;
    }

    public void Dispose()
    {
        _terminate.Dispose();
        _interrupt.Dispose();
        _requested.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Cancelling the runtime's default action (terminate the process) leaves the decision to us.
        context.Cancel = true;
        if (_ignore)
        {
            Console.Error.WriteLine($"fakeserve: ignoring {context.Signal}");
            return;
        }

        _requested.Cancel();
    }
}
