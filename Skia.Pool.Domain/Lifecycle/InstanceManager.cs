using FluentResults;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Domain.Lifecycle;

/// <summary>
/// Orchestrates get-or-start, stop, restart and cull against the ports. Decisions are the
/// <see cref="SlotPool"/>'s, taken under one short lock; launching, probing and stopping happen outside
/// it, so starts of different ids run in parallel. Concurrent requests for one id share one start.
/// </summary>
public sealed class InstanceManager
{
    // A request re-checks the slot after each start or stop it waited for; more rounds than this
    // means the instance keeps vanishing under it (crash loop or cull storm), which is reported.
    private const int MaxRounds = 4;

    private readonly Lock _gate = new();
    private readonly SlotPool _pool;
    private readonly PoolOptions _options;
    private readonly IProcessLauncher _launcher;
    private readonly IReadinessProbe _probe;
    private readonly IClock _clock;
    private readonly IInstanceObserver _observer;
    private readonly SemaphoreSlim _startPermits;
    private readonly Dictionary<int, Task<Result>> _starts = [];
    private readonly Dictionary<int, Task> _stops = [];
    private readonly ExitLog _exits;
    private bool _closed;

    public InstanceManager(PoolOptions options, IProcessLauncher launcher, IReadinessProbe probe, IClock clock, IInstanceObserver observer)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _pool = new SlotPool(options);
        _launcher = launcher;
        _probe = probe;
        _clock = clock;
        _observer = observer;
        _startPermits = new SemaphoreSlim(options.MaxConcurrentStarts);
        _exits = new ExitLog(4 * options.MaxInstances);
    }

    /// <summary>
    /// The running instance of <paramref name="id"/>, started first if needed, held as a lease for one request.
    /// </summary>
    public async Task<Result<InstanceLease>> AcquireAsync(InstanceId id, CancellationToken cancellationToken)
    {
        // A slot whose port turns out to be taken is skipped and another tried; each such round blocks
        // one more slot, so they are bounded by the pool's size and do not count against MaxRounds.
        var blockedPorts = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            Task wait;
            lock (_gate)
            {
                var slot = _pool.Find(id);
                switch (slot?.State)
                {
                    case SlotState.Running:
                        _pool.BeginUse(slot.Index, slot.Generation, _clock.UtcNow);
                        return new InstanceLease(this, slot.Index, slot.Generation, slot.Port);
                    case SlotState.Starting:
                        wait = _starts[slot.Index];
                        break;
                    case SlotState.Stopping:
                        wait = _stops[slot.Index];
                        break;
                    default:
                        if (_closed)
                        {
                            return Result.Fail(new StartFailedError("The service is shutting down."));
                        }

                        var allocation = _pool.Allocate(id, _clock.UtcNow);
                        if (allocation.IsFailed)
                        {
                            return allocation.ToResult();
                        }

                        wait = _starts[allocation.Value.Slot.Index] = StartAsync(allocation.Value);
                        break;
                }
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (wait is Task<Result> { Result.IsFailed: true } failedStart)
            {
                if (failedStart.Result.HasError<PortInUseError>() && ++blockedPorts <= _options.MaxInstances)
                {
                    round--;
                    continue;
                }

                return failedStart.Result;
            }
        }

        return Result.Fail(new StartFailedError("The instance stopped again each time it was started; try again later."));
    }

    /// <summary>Stops the instance of <paramref name="id"/> and frees its slot; waits for a start in progress first.</summary>
    public async Task<Result> StopAsync(InstanceId id, StopReason reason)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            Task wait;
            var mine = false;
            lock (_gate)
            {
                var slot = _pool.Find(id);
                switch (slot?.State)
                {
                    case null or SlotState.Free:
                        return Result.Fail(new UnknownInstanceError());
                    case SlotState.Starting:
                        wait = _starts[slot.Index];
                        break;
                    case SlotState.Stopping:
                        wait = _stops[slot.Index];
                        mine = true;
                        break;
                    default:
                        wait = BeginStop(slot.Index, slot.Generation, reason)!;
                        mine = true;
                        break;
                }
            }

            await wait.ConfigureAwait(false);
            if (mine)
            {
                return Result.Ok();
            }
        }

        return Result.Fail(new UnknownInstanceError());
    }

    /// <summary>Stops whatever runs for <paramref name="id"/> and starts it afresh.</summary>
    public async Task<Result<InstanceSnapshot>> RestartAsync(InstanceId id, CancellationToken cancellationToken)
    {
        await StopAsync(id, StopReason.Restart).ConfigureAwait(false);
        var lease = await AcquireAsync(id, cancellationToken).ConfigureAwait(false);
        if (lease.IsFailed)
        {
            return lease.ToResult();
        }

        // The snapshot must not count the restart's own lease, and the instance may have been stopped
        // (or its slot reassigned) the moment the lease ended.
        var restarted = lease.Value;
        restarted.Dispose();
        lock (_gate)
        {
            var slot = _pool.Slots[restarted.Slot];
            return slot.Generation == restarted.Generation && slot.State != SlotState.Free
                ? InstanceSnapshot.Of(slot)
                : Result.Fail(new UnknownInstanceError());
        }
    }

    /// <summary>One cull tick: stops what <see cref="CullPolicy"/> selects and waits for those stops.</summary>
    public async Task<int> CullAsync()
    {
        List<Task> stops = [];
        lock (_gate)
        {
            _pool.UnblockPorts();
            foreach (var decision in CullPolicy.Select(_pool.Slots, _clock.UtcNow, CullRules.From(_options)))
            {
                if (BeginStop(decision.SlotIndex, decision.Generation, decision.Reason) is { } stop)
                {
                    stops.Add(stop);
                }
            }
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        return stops.Count;
    }

    /// <summary>Refuses new starts, lets starts in progress finish, then stops every instance.</summary>
    public async Task StopAllAsync()
    {
        while (true)
        {
            List<Task> pending;
            lock (_gate)
            {
                _closed = true;
                pending = [.. _starts.Values, .. _stops.Values];
                if (pending.Count == 0)
                {
                    foreach (var slot in _pool.Slots.Where(s => s.State == SlotState.Running))
                    {
                        pending.Add(BeginStop(slot.Index, slot.Generation, StopReason.Shutdown)!);
                    }

                    if (pending.Count == 0)
                    {
                        return;
                    }
                }
            }

            await Task.WhenAll(pending).ConfigureAwait(false);
        }
    }

    /// <summary>Slots skipped because a foreign process holds their port (until the next cull tick).</summary>
    public IReadOnlyList<BlockedSlot> BlockedSlots()
    {
        lock (_gate)
        {
            return [.. _pool.Slots.Where(s => s.PortBlocked).Select(s => new BlockedSlot(s.Index, s.Port))];
        }
    }

    public IReadOnlyList<InstanceSnapshot> List()
    {
        lock (_gate)
        {
            return [.. _pool.Slots.Where(s => s.State != SlotState.Free).Select(InstanceSnapshot.Of)];
        }
    }

    /// <summary>The status of <paramref name="id"/>; null when it neither runs nor ever exited here.</summary>
    public InstanceStatus? Status(InstanceId id)
    {
        lock (_gate)
        {
            var slot = _pool.Find(id);
            var exit = _exits.Find(id);
            return slot is null && exit is null ? null : new InstanceStatus(slot is null ? null : InstanceSnapshot.Of(slot), exit);
        }
    }

    /// <summary>False once shutdown has begun: no new instance will be started.</summary>
    public bool AcceptsStarts
    {
        get
        {
            lock (_gate)
            {
                return !_closed;
            }
        }
    }

    public int FreeSlots
    {
        get
        {
            lock (_gate)
            {
                return _pool.FreeCount;
            }
        }
    }

    internal void Touch(InstanceLease lease)
    {
        lock (_gate)
        {
            _pool.EndUse(lease.Slot, lease.Generation, _clock.UtcNow);
            _pool.BeginUse(lease.Slot, lease.Generation, _clock.UtcNow);
        }
    }

    internal void Release(InstanceLease lease)
    {
        lock (_gate)
        {
            _pool.EndUse(lease.Slot, lease.Generation, _clock.UtcNow);
        }
    }

    // Caller holds _gate.
    private Task? BeginStop(int index, long generation, StopReason reason) =>
        _pool.TryBeginStop(index, generation, out var process) ? TrackStop(index, process, reason) : null;

    // Caller holds _gate; the slot has just become Stopping.
    private Task TrackStop(int index, IProcessHandle? process, StopReason reason)
    {
        var stop = StopProcessAsync(InstanceSnapshot.Of(_pool.Slots[index]), process, reason);
        _stops[index] = stop;
        return stop;
    }

    private async Task StopProcessAsync(InstanceSnapshot instance, IProcessHandle? process, StopReason reason)
    {
        await Task.Yield(); // never run the stop under the caller's lock
        _observer.Stopping(instance, reason);
        try
        {
            if (process is not null)
            {
                await process.StopAsync(_options.StopGracePeriod).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_gate)
            {
                _stops.Remove(instance.Slot);
                _pool.Release(instance.Slot, instance.Generation);
            }

            _observer.Stopped(instance, reason);
        }
    }

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
            outcome = Result.Fail(new StartFailedError($"The instance could not be started: {ex.Message}"));
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
                ready = Result.Fail(new StartFailedError($"The readiness probe failed: {ex.Message}"));
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
