using Skia.Pool.Domain;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Pooling;

public sealed class SlotPoolTests
{
    private static readonly DateTimeOffset T0 = ManualClock.Start;

    private readonly PoolOptions _options = new()
    {
        MaxInstances = 3,
        StartPort = 40_000,
        DisplayBase = 500,
        EvictAfterIdle = TimeSpan.FromMinutes(1),
    };

    private SlotPool CreateSut() => new(_options);

    [Fact]
    public void Allocate_EmptyPool_TakesLowestIndexWithItsPortAndDisplay()
    {
        var sut = CreateSut();

        var first = sut.Allocate(InstanceId.New(), T0).Value.Slot;
        var second = sut.Allocate(InstanceId.New(), T0).Value.Slot;

        (first.Index, first.Port, first.Display, first.State).Should().Be((0, 40_000, 500, SlotState.Starting));
        (second.Index, second.Port, second.Display).Should().Be((1, 40_001, 501));
    }

    [Fact]
    public void Allocate_AfterLowerSlotFreed_ReusesLowestFreeIndexWithNextGeneration()
    {
        var sut = CreateSut();
        var a = sut.Allocate(InstanceId.New(), T0).Value;
        sut.Allocate(InstanceId.New(), T0);
        sut.Release(a.Slot.Index, a.Generation);

        var again = sut.Allocate(InstanceId.New(), T0).Value;

        again.Slot.Index.Should().Be(0);
        (a.Generation, again.Generation).Should().Be((1L, 2L));
    }

    [Fact]
    public void Find_AllocatedId_ReturnsItsSlotAndNothingForOthers()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        sut.Allocate(InstanceId.New(), T0);
        sut.Allocate(id, T0);

        sut.Find(id)!.Index.Should().Be(1);
        sut.Find(InstanceId.New()).Should().BeNull();
    }

    [Fact]
    public void Allocate_IdThatAlreadyHasSlot_Throws()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        sut.Allocate(id, T0);

        sut.Invoking(s => s.Allocate(id, T0)).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Allocate_FullPoolAllRecentlyUsed_FailsWithRetryAfterUntilLruIsEvictable()
    {
        var sut = CreateSut();
        var lru = sut.StartRunning(T0);
        sut.StartRunning(T0);
        sut.StartRunning(T0);
        sut.UseAt(lru, T0.AddSeconds(10));
        foreach (var slot in sut.Slots.Skip(1))
        {
            sut.UseAt(slot, T0.AddSeconds(30));
        }

        // The LRU slot was used 20.5 s ago: evictable in 39.5 s, rounded up to whole seconds.
        var result = sut.Allocate(InstanceId.New(), T0.AddSeconds(30.5));

        result.IsFailed.Should().BeTrue();
        result.Errors.Should().ContainSingle().Which.Should().BeOfType<PoolFullError>()
            .Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(40));
    }

    [Fact]
    public void Allocate_FullPoolLruAlmostEvictable_RetryAfterIsAtLeastOneSecond()
    {
        var sut = CreateSut();
        Enumerable.Range(0, 3).ToList().ForEach(_ => sut.StartRunning(T0));

        var result = sut.Allocate(InstanceId.New(), T0 + _options.EvictAfterIdle - TimeSpan.FromMilliseconds(1));

        result.Errors.Single().Should().BeOfType<PoolFullError>().Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Allocate_FullPoolLruIdleLongEnough_ReassignsItsSlot()
    {
        var sut = CreateSut();
        sut.StartRunning(T0);
        var lru = sut.StartRunning(T0);
        var oldOwner = lru.Owner!.Value;
        var oldProcess = lru.Process;
        sut.StartRunning(T0);
        sut.UseAt(sut.Slots[0], T0.AddSeconds(30));
        sut.UseAt(sut.Slots[2], T0.AddSeconds(30));
        var newOwner = InstanceId.New();

        var allocation = sut.Allocate(newOwner, T0 + _options.EvictAfterIdle).Value;

        allocation.Slot.Index.Should().Be(1);
        allocation.EvictedProcess.Should().BeSameAs(oldProcess);
        (allocation.Evicted!.Owner, allocation.Evicted.Generation, allocation.Evicted.LastUsed).Should().Be((oldOwner, 1L, T0));
        allocation.Generation.Should().Be(2);
        (allocation.Slot.State, allocation.Slot.Owner).Should().Be((SlotState.Starting, newOwner));
        sut.Find(oldOwner).Should().BeNull();
        sut.Find(newOwner).Should().BeSameAs(allocation.Slot);
    }

    [Fact]
    public void Allocate_FullPoolLruHasRequestInFlight_EvictsNextLeastRecentlyUsed()
    {
        var sut = CreateSut();
        var busy = sut.StartRunning(T0);
        sut.StartRunning(T0);
        sut.StartRunning(T0);
        sut.BeginUseAt(busy, T0);
        sut.UseAt(sut.Slots[1], T0.AddSeconds(1));
        sut.UseAt(sut.Slots[2], T0.AddSeconds(2));

        var allocation = sut.Allocate(InstanceId.New(), T0.AddMinutes(10)).Value;

        allocation.Slot.Index.Should().Be(1);
        (busy.State, busy.Generation, busy.InFlight).Should().Be((SlotState.Running, 1L, 1));
    }
}
