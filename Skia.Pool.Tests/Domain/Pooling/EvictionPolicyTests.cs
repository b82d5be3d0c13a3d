using Skia.Pool.Domain;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Pooling;

public sealed class EvictionPolicyTests
{
    private static readonly DateTimeOffset T0 = ManualClock.Start;

    private readonly PoolOptions _options = new() { MaxInstances = 6, EvictAfterIdle = TimeSpan.FromMinutes(1) };

    private SlotPool CreateSut() => new(_options);

    [Fact]
    public void Order_MixedStates_ListsRunningSlotsOnlyLeastRecentlyUsedFirst()
    {
        var sut = CreateSut();
        var running = Enumerable.Range(0, 4).Select(_ => sut.StartRunning(T0)).ToList();
        sut.UseAt(running[0], T0.AddMinutes(3));
        sut.UseAt(running[1], T0.AddMinutes(1));
        sut.UseAt(running[2], T0.AddMinutes(4));
        sut.UseAt(running[3], T0.AddMinutes(2));
        sut.BeginStop(running[3]);
        sut.Allocate(InstanceId.New(), T0); // slot 4 stays Starting, slot 5 Free

        var order = EvictionPolicy.Order(sut.Slots);

        order.Select(s => s.Index).Should().Equal(1, 0, 2);
    }

    [Fact]
    public void Order_EqualLastUsed_BreaksTiesByIndex()
    {
        var sut = CreateSut();
        var slots = Enumerable.Range(0, 4).Select(_ => sut.StartRunning(T0)).ToList();
        sut.UseAt(slots[0], T0.AddMinutes(1));
        sut.UseAt(slots[2], T0.AddMinutes(1));

        var order = EvictionPolicy.Order(sut.Slots.Reverse());

        order.Select(s => s.Index).Should().Equal(1, 3, 0, 2);
    }

    [Fact]
    public void ChooseVictim_LruIdleLessThanEvictAfterIdle_ReturnsNull()
    {
        var sut = CreateSut();
        sut.StartRunning(T0);

        var victim = EvictionPolicy.ChooseVictim(sut.Slots, T0.AddSeconds(59), _options.EvictAfterIdle);

        victim.Should().BeNull();
    }

    [Fact]
    public void ChooseVictim_LruBusyNextIdleLongEnough_ReturnsNext()
    {
        var sut = CreateSut();
        var busy = sut.StartRunning(T0);
        var idle = sut.StartRunning(T0);
        sut.BeginUseAt(busy, T0);
        sut.UseAt(idle, T0.AddSeconds(1));

        var victim = EvictionPolicy.ChooseVictim(sut.Slots, T0.AddSeconds(61), _options.EvictAfterIdle);

        victim!.Index.Should().Be(idle.Index);
    }
}
