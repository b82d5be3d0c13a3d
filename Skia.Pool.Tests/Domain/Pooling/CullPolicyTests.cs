using Skia.Pool.Domain;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Pooling;

public sealed class CullPolicyTests
{
    private static readonly DateTimeOffset T0 = ManualClock.Start;
    private static readonly DateTimeOffset Now = T0.AddHours(10);

    private readonly PoolOptions _options = new() { MaxInstances = 6, MinFreeSlots = 2 };

    private SlotPool CreateSut() => new(_options);

    /// <summary>A pool with <paramref name="count"/> running slots, slot i last used at T0 + minutes[i].</summary>
    private SlotPool CreateSutRunning(int count, Func<int, int> minutes)
    {
        var sut = CreateSut();
        for (var i = 0; i < count; i++)
        {
            sut.UseAt(sut.StartRunning(T0), T0.AddMinutes(minutes(i)));
        }

        return sut;
    }

    [Fact]
    public void Select_FullDefaultPool_ChoosesExactlyTheFiveLeastRecentlyUsed()
    {
        _options.MaxInstances = 200;
        _options.MinFreeSlots = 10;
        // Slot i was last used at minute 7i mod 195, a permutation of 0..194 that is not index order.
        // The five oldest uses (minutes 0..4) belong to slots 0, 28, 56, 84 and 112 (28 = 7^-1 mod 195).
        // Skia's original took the tail of the oldest-first list and stopped the five most recent.
        var sut = CreateSutRunning(195, i => 7 * i % 195);

        var chosen = CullPolicy.Select(sut.Slots, Now, CullRules.From(_options));

        chosen.Select(c => c.SlotIndex).Should().Equal(0, 28, 56, 84, 112);
        chosen.Should().OnlyContain(c => c.Reason == StopReason.CullLru && c.Generation == 1);
    }

    [Fact]
    public void Select_EnoughFreeSlots_ChoosesNothing()
    {
        var sut = CreateSutRunning(4, i => i);

        CullPolicy.Select(sut.Slots, Now, CullRules.From(_options)).Should().BeEmpty();
    }

    [Fact]
    public void Select_StoppingSlotsCountAsFree_ChoosesOnlyTheShortfall()
    {
        var sut = CreateSutRunning(6, i => 10 - i);
        sut.BeginStop(sut.Slots[5]);

        var chosen = CullPolicy.Select(sut.Slots, Now, CullRules.From(_options));

        chosen.Select(c => c.SlotIndex).Should().Equal(4);
    }

    [Fact]
    public void Select_LeastRecentlyUsedHasRequestInFlight_ChoosesTheNextOnes()
    {
        var sut = CreateSutRunning(6, i => i);
        sut.BeginUseAt(sut.Slots[0], T0);

        var chosen = CullPolicy.Select(sut.Slots, Now, CullRules.From(_options));

        chosen.Select(c => c.SlotIndex).Should().Equal(1, 2);
    }

    [Fact]
    public void Select_IdleTimeout_ChoosesIdleOnesWhichCountTowardFreeTarget()
    {
        _options.IdleTimeout = TimeSpan.FromMinutes(30);
        var sut = CreateSutRunning(6, i => i == 3 ? 0 : 40);

        var chosen = CullPolicy.Select(sut.Slots, T0.AddMinutes(45), CullRules.From(_options));

        chosen.Should().Equal(new CullDecision(3, 1, StopReason.Idle), new CullDecision(0, 1, StopReason.CullLru));
    }

    [Fact]
    public void Select_MaxAge_ChoosesInstancesStartedTooLongAgo()
    {
        _options.MinFreeSlots = 0;
        _options.MaxAge = TimeSpan.FromHours(1);
        var sut = CreateSut();
        var old = sut.StartRunning(T0);
        var young = sut.StartRunning(T0.AddMinutes(30));
        sut.UseAt(old, T0.AddMinutes(80));
        sut.UseAt(young, T0.AddMinutes(80));

        var chosen = CullPolicy.Select(sut.Slots, T0.AddMinutes(80), CullRules.From(_options));

        chosen.Should().Equal(new CullDecision(old.Index, 1, StopReason.MaxAge));
    }

    [Fact]
    public void Select_IdleTimeoutAndMaxAgeNull_AreOff()
    {
        _options.MinFreeSlots = 0;
        var sut = CreateSutRunning(3, _ => 0);

        CullPolicy.Select(sut.Slots, T0.AddDays(300), CullRules.From(_options)).Should().BeEmpty();
    }
}
