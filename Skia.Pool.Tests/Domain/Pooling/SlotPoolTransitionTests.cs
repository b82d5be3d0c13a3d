using Skia.Pool.Domain;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Pooling;

public sealed class SlotPoolTransitionTests
{
    private static readonly DateTimeOffset T0 = ManualClock.Start;

    private readonly PoolOptions _options = new() { MaxInstances = 2 };

    private SlotPool CreateSut() => new(_options);

    [Fact]
    public void FullLifecycle_EachTransition_MovesToExpectedState()
    {
        var sut = CreateSut();
        var process = new FakeProcessHandle(FakeLauncher.FirstPid);
        var (slot, generation, _) = sut.Allocate(InstanceId.New(), T0).Value;
        slot.State.Should().Be(SlotState.Starting);

        sut.AttachProcess(slot.Index, generation, process, T0).Should().BeTrue();
        sut.MarkRunning(slot.Index, generation, T0.AddSeconds(1)).Should().BeTrue();
        (slot.State, slot.StartedAt, slot.Pid).Should().Be((SlotState.Running, T0, FakeLauncher.FirstPid));

        sut.TryBeginStop(slot.Index, generation, out var stopped).Should().BeTrue();
        (slot.State, stopped).Should().Be((SlotState.Stopping, process));

        sut.Release(slot.Index, generation).Should().BeTrue();
        (slot.State, slot.Owner, slot.Process).Should().Be((SlotState.Free, null, null));
        sut.FreeCount.Should().Be(2);
    }

    [Fact]
    public void Release_FailedStart_FreesStartingSlotAndForgetsOwner()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        var (slot, generation, _) = sut.Allocate(id, T0).Value;

        sut.Release(slot.Index, generation).Should().BeTrue();

        slot.State.Should().Be(SlotState.Free);
        sut.Find(id).Should().BeNull();
    }

    [Fact]
    public void TryBeginStop_StartingSlot_ReturnsFalseAndKeepsStarting()
    {
        var sut = CreateSut();
        var (slot, generation, _) = sut.Allocate(InstanceId.New(), T0).Value;

        sut.TryBeginStop(slot.Index, generation, out var process).Should().BeFalse();

        (slot.State, process).Should().Be((SlotState.Starting, null));
    }

    [Fact]
    public void MarkExited_RunningSlotOfCurrentGeneration_StopsUntilTheRestOfItsTreeIsGone()
    {
        var sut = CreateSut();
        var slot = sut.StartRunning(T0);
        var owner = slot.Owner!.Value;
        var generation = slot.Generation;

        sut.MarkExited(slot.Index, generation, out var process).Should().BeTrue();

        (slot.State, process).Should().Be((SlotState.Stopping, slot.Process));
        sut.Release(slot.Index, generation).Should().BeTrue();
        slot.State.Should().Be(SlotState.Free);
        sut.Find(owner).Should().BeNull();
    }

    [Fact]
    public void EveryTransition_StaleGeneration_IsIgnoredAndReturnsFalse()
    {
        var sut = CreateSut();
        var slot = sut.StartRunning(T0);
        var stale = slot.Generation - 1;

        sut.MarkRunning(slot.Index, stale, T0).Should().BeFalse();
        sut.TryBeginStop(slot.Index, stale, out _).Should().BeFalse();
        sut.Release(slot.Index, stale).Should().BeFalse();
        sut.MarkExited(slot.Index, stale, out _).Should().BeFalse();
        sut.BeginUse(slot.Index, stale, T0.AddMinutes(1)).Should().BeFalse();

        (slot.State, slot.Generation, slot.InFlight, slot.LastUsed).Should().Be((SlotState.Running, 1L, 0, T0));
    }

    [Fact]
    public void EndUse_StaleGeneration_ChangesNothing()
    {
        var sut = CreateSut();
        var slot = sut.StartRunning(T0);
        sut.BeginUseAt(slot, T0);

        sut.EndUse(slot.Index, slot.Generation - 1, T0.AddMinutes(5));

        (slot.InFlight, slot.LastUsed).Should().Be((1, T0));
    }

    [Fact]
    public void MarkExited_LateExitOfEvictedOwner_LeavesNewOwnerRunning()
    {
        var sut = new SlotPool(new PoolOptions { MaxInstances = 1, EvictAfterIdle = TimeSpan.FromMinutes(1) });
        var old = sut.StartRunning(T0);
        var oldGeneration = old.Generation;
        var newOwner = InstanceId.New();
        var (slot, generation, _) = sut.Allocate(newOwner, T0.AddMinutes(2)).Value;
        sut.AttachProcess(slot.Index, generation, new FakeProcessHandle(FakeLauncher.FirstPid + 1), T0.AddMinutes(2));
        sut.MarkRunning(slot.Index, generation, T0.AddMinutes(2));

        sut.MarkExited(slot.Index, oldGeneration, out _).Should().BeFalse();

        (slot.State, slot.Owner, slot.Generation, slot.Pid).Should().Be((SlotState.Running, newOwner, 2L, FakeLauncher.FirstPid + 1));
        sut.Find(newOwner).Should().BeSameAs(slot);
    }

    [Fact]
    public void MarkExited_DuringStopOrStart_LeavesSlotToItsOwnPath()
    {
        var sut = CreateSut();
        var stopping = sut.StartRunning(T0);
        sut.BeginStop(stopping);
        var (starting, generation, _) = sut.Allocate(InstanceId.New(), T0).Value;

        sut.MarkExited(stopping.Index, stopping.Generation, out _).Should().BeFalse();
        sut.MarkExited(starting.Index, generation, out _).Should().BeFalse();

        (stopping.State, starting.State).Should().Be((SlotState.Stopping, SlotState.Starting));
    }
}
