using NSubstitute;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Lifecycle;

public sealed class InstanceManagerCullTests
{
    private readonly ManualClock _clock = new();
    private readonly FakeLauncher _launcher = new();
    private readonly FakeReadinessProbe _probe = new();
    private readonly IInstanceObserver _observer = Substitute.For<IInstanceObserver>();
    private readonly PoolOptions _options = new() { MaxInstances = 4, MinFreeSlots = 2 };

    private InstanceManager CreateSut() => new(_options, _launcher, _probe, _clock, _observer);

    /// <summary>Starts one instance per minute, in order, so the first is the least recently used.</summary>
    private async Task<List<InstanceId>> StartEachMinuteAsync(InstanceManager sut, int count)
    {
        var ids = new List<InstanceId>();
        for (var i = 0; i < count; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            ids.Add(InstanceId.New());
            (await sut.AcquireAsync(ids[^1], CancellationToken.None)).Value.Dispose();
        }

        return ids;
    }

    [Fact]
    public async Task CullAsync_FewerFreeSlotsThanMinimum_StopsLeastRecentlyUsedAndReportsCullLru()
    {
        var sut = CreateSut();
        var ids = await StartEachMinuteAsync(sut, 4);

        var stopped = await sut.CullAsync();

        stopped.Should().Be(2);
        _launcher.Processes.Select(p => p.StopCalls).Should().Equal(1, 1, 0, 0);
        sut.List().Select(i => i.Id).Should().Equal(ids[2], ids[3]);
        _observer.Received(1).Stopped(Arg.Is<InstanceSnapshot>(s => s.Id == ids[0]), StopReason.CullLru);
        _observer.Received(1).Stopped(Arg.Is<InstanceSnapshot>(s => s.Id == ids[1]), StopReason.CullLru);
    }

    [Fact]
    public async Task CullAsync_EnoughFreeSlots_StopsNothing()
    {
        var sut = CreateSut();
        await StartEachMinuteAsync(sut, 2);

        var stopped = await sut.CullAsync();

        stopped.Should().Be(0);
        _launcher.LiveProcesses.Should().HaveCount(2);
        _observer.DidNotReceiveWithAnyArgs().Stopped(default!, default);
    }

    [Fact]
    public async Task CullAsync_LeastRecentlyUsedHoldsOpenLease_StopsTheNextOneInstead()
    {
        _options.MinFreeSlots = 1;
        var sut = CreateSut();
        var held = InstanceId.New();
        using var lease = (await sut.AcquireAsync(held, CancellationToken.None)).Value;
        var others = await StartEachMinuteAsync(sut, 3);

        var stopped = await sut.CullAsync();

        stopped.Should().Be(1);
        sut.List().Select(i => i.Id).Should().Equal(held, others[1], others[2]);
        _observer.Received(1).Stopped(Arg.Is<InstanceSnapshot>(s => s.Id == others[0]), StopReason.CullLru);
    }

    [Fact]
    public async Task CullAsync_IdleTimeout_StopsIdleInstanceWithIdleReason()
    {
        _options.MinFreeSlots = 0;
        _options.IdleTimeout = TimeSpan.FromMinutes(10);
        var sut = CreateSut();
        var ids = await StartEachMinuteAsync(sut, 2);
        _clock.Advance(TimeSpan.FromMinutes(9.5));

        var stopped = await sut.CullAsync();

        stopped.Should().Be(1);
        sut.List().Select(i => i.Id).Should().Equal(ids[1]);
        _observer.Received(1).Stopped(Arg.Is<InstanceSnapshot>(s => s.Id == ids[0]), StopReason.Idle);
    }
}
