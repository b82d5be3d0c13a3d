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
public sealed partial class InstanceManager
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

    /// <summary>
    /// A lease on the instance of <paramref name="id"/> if it is running now; null when it is not (absent,
    /// starting or stopping). Never starts or waits for anything: for a caller with a slower path that does.
    /// </summary>
    public InstanceLease? TryAcquireRunning(InstanceId id)
    {
        lock (_gate)
        {
            if (_pool.Find(id) is not { State: SlotState.Running } slot)
            {
                return null;
            }

            _pool.BeginUse(slot.Index, slot.Generation, _clock.UtcNow);
            return new InstanceLease(this, slot.Index, slot.Generation, slot.Port);
        }
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
}
