using FluentResults;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Domain.Lifecycle;

// The start path: evict (if needed), launch, probe, and watch for the exit; any failure frees the slot.
public sealed partial class InstanceManager
{
    private async Task<Result> StartAsync(Allocation allocation)
    {
        await Task.Yield(); // never run the start under the caller's lock
        var slot = allocation.Slot;
        var generation = allocation.Generation;
        var began = _clock.UtcNow;
        InstanceSnapshot snapshot;
        lock (_gate)
        {
            snapshot = InstanceSnapshot.Of(slot);
        }

        IProcessHandle? process = null;
        Result outcome;
        try
        {
            _observer.Starting(snapshot);
            if (allocation.Evicted is { } evicted)
            {
                // The evicted owner's process must be gone, port and all, before the new one starts on it.
                var gone = new InstanceSnapshot(evicted.Owner, slot.Index, slot.Port, evicted.Process.Pid, SlotState.Stopping,
                    evicted.StartedAt, evicted.LastUsed, 0, evicted.Generation);
                _observer.Stopping(gone, StopReason.Evicted);
                await evicted.Process.StopAsync(_options.StopGracePeriod).ConfigureAwait(false);
                _observer.Stopped(gone, StopReason.Evicted);
            }

            (process, outcome) = await LaunchAndProbeAsync(snapshot).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A start that throws must still free its slot; the error goes to the requester.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = Result.Fail(new StartFailedError("The instance could not be started (an unexpected error; the service log has it).").CausedBy(ex));
        }

        if (outcome.IsSuccess)
        {
            lock (_gate)
            {
                // An exit that happened before Running was ignored by the exit watcher, so look here.
                if (!process!.Exited.IsCompleted && _pool.MarkRunning(slot.Index, generation, _clock.UtcNow))
                {
                    _starts.Remove(slot.Index);
                    snapshot = InstanceSnapshot.Of(slot);
                }
                else
                {
                    outcome = Result.Fail(ExitedDuringStart(process));
                }
            }

            if (outcome.IsSuccess)
            {
                _observer.Started(snapshot, _clock.UtcNow - began);
                return outcome;
            }
        }

        if (process is not null)
        {
            await process.StopAsync(_options.StopGracePeriod).ConfigureAwait(false);
        }

        lock (_gate)
        {
            _starts.Remove(slot.Index);
            if (!outcome.HasError<PortInUseError>() || !_pool.BlockPort(slot.Index, generation))
            {
                _pool.Release(slot.Index, generation);
            }
        }

        _observer.StartFailed(snapshot, outcome.Errors[0], _clock.UtcNow - began);
        return outcome;
    }

    private async Task<(IProcessHandle? Process, Result Outcome)> LaunchAndProbeAsync(InstanceSnapshot instance)
    {
        await _startPermits.WaitAsync().ConfigureAwait(false);
        try
        {
            var request = new LaunchRequest(instance.Id, instance.Slot, instance.Generation, instance.Port,
                _options.DisplayOf(instance.Slot), "/" + instance.Id);
            var launched = await _launcher.LaunchAsync(request, CancellationToken.None).ConfigureAwait(false);
            if (launched.IsFailed)
            {
                return (null, launched.ToResult());
            }

            var process = launched.Value;
            lock (_gate)
            {
                _pool.AttachProcess(instance.Slot, instance.Generation, process, _clock.UtcNow);
            }

            _ = WatchExitAsync(instance, process);
            Result ready;
            try
            {
                ready = await _probe.WaitUntilReadyAsync(instance.Port, process, _options.StartTimeout, CancellationToken.None)
                    .ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A probe that throws must not leave the launched process on the slot's port.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ready = Result.Fail(new StartFailedError("The readiness check failed (an unexpected error; the service log has it).").CausedBy(ex));
            }

            if (ready.IsFailed && process.Exited.IsCompleted && !ready.HasError<PortInUseError>())
            {
                ready = Result.Fail(ExitedDuringStart(process));
            }

            return (process, ready);
        }
        finally
        {
            _startPermits.Release();
        }
    }

    private static StartFailedError ExitedDuringStart(IProcessHandle process)
    {
        var code = process.Exited.IsCompletedSuccessfully ? process.Exited.Result : (int?)null;
        return new StartFailedError($"The instance process exited with code {code} before it answered HTTP.", code, process.RecentErrorLines);
    }

    private async Task WatchExitAsync(InstanceSnapshot instance, IProcessHandle process)
    {
        var code = await process.Exited.ConfigureAwait(false);
        bool exitedByItself;
        lock (_gate)
        {
            // The slot stays Stopping until what the process left behind (a wrapper's children) is gone.
            exitedByItself = _pool.MarkExited(instance.Slot, instance.Generation, out _);
            if (exitedByItself)
            {
                _exits.Record(instance.Id, new ExitRecord(code, _clock.UtcNow));
                TrackStop(instance.Slot, process, StopReason.Exit);
            }
        }

        if (exitedByItself)
        {
            _observer.Exited(instance with { Pid = process.Pid }, code);
        }
    }
}
