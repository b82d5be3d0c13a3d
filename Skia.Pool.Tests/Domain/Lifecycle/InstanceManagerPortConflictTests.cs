using NSubstitute;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Lifecycle;

/// <summary>A slot whose port a stranger holds is skipped, reported, and tried again after the next cull tick.</summary>
public sealed class InstanceManagerPortConflictTests
{
    private const int StartPort = 40_000;

    private readonly ManualClock _clock = new();
    private readonly FakeLauncher _launcher = new();
    private readonly FakeReadinessProbe _probe = new();
    private readonly IInstanceObserver _observer = Substitute.For<IInstanceObserver>();
    private readonly PoolOptions _options = new() { MaxInstances = 3, MinFreeSlots = 0, StartPort = StartPort };

    private InstanceManager CreateSut() => new(_options, _launcher, _probe, _clock, _observer);

    [Fact]
    public async Task AcquireAsync_FirstSlotsPortHeldByAnotherProcess_StartsOnTheNextSlotAndReportsTheBlockedOne()
    {
        var sut = CreateSut();
        _launcher.ForeignPorts.Add(StartPort);

        using var lease = (await sut.AcquireAsync(InstanceId.New(), CancellationToken.None)).Value;

        (lease.Slot, lease.Port).Should().Be((1, StartPort + 1));
        sut.BlockedSlots().Should().Equal(new BlockedSlot(0, StartPort));
        _launcher.Requests.Select(r => r.Port).Should().Equal(StartPort, StartPort + 1);
    }

    [Fact]
    public async Task AcquireAsync_EveryPortHeldByOthers_FailsWithPortInUseAfterTryingEachSlotOnce()
    {
        var sut = CreateSut();
        _launcher.ForeignPorts.UnionWith([StartPort, StartPort + 1, StartPort + 2]);

        var result = await sut.AcquireAsync(InstanceId.New(), CancellationToken.None);

        result.IsFailed.Should().BeTrue();
        result.Errors.Should().ContainSingle().Which.Should().BeOfType<Skia.Pool.Domain.Errors.PoolFullError>(
            "with every slot blocked there is no room left, which the client is told as a full pool");
        _launcher.Requests.Select(r => r.Port).Should().Equal(StartPort, StartPort + 1, StartPort + 2);
        sut.FreeSlots.Should().Be(0);
    }

    [Fact]
    public async Task CullAsync_AfterTheStrangerLeft_TheBlockedSlotIsUsedAgain()
    {
        var sut = CreateSut();
        _launcher.ForeignPorts.Add(StartPort);
        (await sut.AcquireAsync(InstanceId.New(), CancellationToken.None)).Value.Dispose();
        _launcher.ForeignPorts.Clear();

        await sut.CullAsync();
        using var lease = (await sut.AcquireAsync(InstanceId.New(), CancellationToken.None)).Value;

        lease.Slot.Should().Be(0);
        sut.BlockedSlots().Should().BeEmpty();
    }
}
