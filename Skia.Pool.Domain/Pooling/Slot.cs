using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Ports;

namespace Skia.Pool.Domain.Pooling;

/// <summary>
/// One place in the pool. Its port and display are fixed by its index; everything else changes as
/// owners come and go. <see cref="Generation"/> grows on every (re)assignment, so an event about a
/// process started under an older generation can be recognised and ignored.
/// Slots are not thread-safe: the <see cref="SlotPool"/> that owns them is driven under one lock.
/// </summary>
public sealed class Slot
{
    internal Slot(int index, int port, int display)
    {
        Index = index;
        Port = port;
        Display = display;
    }

    public int Index { get; }

    public int Port { get; }

    public int Display { get; }

    public SlotState State { get; private set; } = SlotState.Free;

    public InstanceId? Owner { get; private set; }

    public long Generation { get; private set; }

    /// <summary>When the current process was launched; null until then.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>When a request for this instance last began or ended.</summary>
    public DateTimeOffset LastUsed { get; private set; }

    /// <summary>Requests (and open WebSockets) being served right now; a busy slot is never culled or evicted.</summary>
    public int InFlight { get; private set; }

    public IProcessHandle? Process { get; private set; }

    /// <summary>
    /// The slot's port was found held by a process the pool did not start: the slot is skipped until
    /// the next cull tick clears the mark and the port is checked again.
    /// </summary>
    public bool PortBlocked { get; private set; }

    /// <summary>Free and not blocked: a slot a new owner can be given.</summary>
    public bool IsUsableFree => State == SlotState.Free && !PortBlocked;

    public int? Pid => Process?.Pid;

    internal void Assign(InstanceId owner, DateTimeOffset now)
    {
        Require(State is SlotState.Free or SlotState.Running, nameof(Assign));
        Generation++;
        State = SlotState.Starting;
        Owner = owner;
        StartedAt = null;
        LastUsed = now;
        InFlight = 0;
        Process = null;
    }

    internal void AttachProcess(IProcessHandle process, DateTimeOffset now)
    {
        Require(State == SlotState.Starting, nameof(AttachProcess));
        Process = process;
        StartedAt = now;
    }

    internal void MarkRunning(DateTimeOffset now)
    {
        Require(State == SlotState.Starting, nameof(MarkRunning));
        State = SlotState.Running;
        LastUsed = now;
    }

    internal void MarkStopping()
    {
        Require(State == SlotState.Running, nameof(MarkStopping));
        State = SlotState.Stopping;
    }

    internal void Release()
    {
        State = SlotState.Free;
        Owner = null;
        StartedAt = null;
        InFlight = 0;
        Process = null;
    }

    internal void BlockPort()
    {
        Release();
        PortBlocked = true;
    }

    internal void UnblockPort() => PortBlocked = false;

    internal void BeginUse(DateTimeOffset now)
    {
        InFlight++;
        LastUsed = now;
    }

    internal void EndUse(DateTimeOffset now)
    {
        if (InFlight > 0)
        {
            InFlight--;
        }

        LastUsed = now;
    }

    private void Require(bool condition, string transition)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Slot {Index}: {transition} is not allowed in state {State}.");
        }
    }
}
