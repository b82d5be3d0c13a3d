using NSubstitute;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Lifecycle;

/// <summary>The order of what the manager reports: every start and stop is announced before its outcome (spans rely on it).</summary>
public sealed class InstanceManagerObserverTests
{
    private readonly ManualClock _clock = new();
    private readonly FakeLauncher _launcher = new();
    private readonly FakeReadinessProbe _probe = new();
    private readonly IInstanceObserver _observer = Substitute.For<IInstanceObserver>();
    private readonly PoolOptions _options = new() { MaxInstances = 1, StartPort = 40_000, EvictAfterIdle = TimeSpan.Zero };

    private InstanceManager CreateSut() => new(_options, _launcher, _probe, _clock, _observer);

    [Fact]
    public async Task AcquireAsync_FirstRequest_ReportsStartingBeforeLaunchThenStarted()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        _observer.When(o => o.Starting(Arg.Any<InstanceSnapshot>())).Do(_ => _launcher.LaunchCount.Should().Be(0));

        (await sut.AcquireAsync(id, CancellationToken.None)).Value.Dispose();

        Received.InOrder(() =>
        {
            _observer.Starting(Arg.Is<InstanceSnapshot>(s => s.Id == id && s.Slot == 0 && s.Generation == 1));
            _observer.Started(Arg.Is<InstanceSnapshot>(s => s.Id == id && s.Generation == 1), Arg.Any<TimeSpan>());
        });
    }

    [Fact]
    public async Task StopAsync_Running_ReportsStoppingThenStoppedWithTheSameReasonAndGeneration()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        (await sut.AcquireAsync(id, CancellationToken.None)).Value.Dispose();

        await sut.StopAsync(id, StopReason.Admin);

        Received.InOrder(() =>
        {
            _observer.Stopping(Arg.Is<InstanceSnapshot>(s => s.Id == id && s.Generation == 1), StopReason.Admin);
            _observer.Stopped(Arg.Is<InstanceSnapshot>(s => s.Id == id && s.Generation == 1), StopReason.Admin);
        });
    }

    [Fact]
    public async Task AcquireAsync_FullPoolEvicts_ReportsTheNewStartThenTheEvictionStopInsideIt()
    {
        var sut = CreateSut();
        var evicted = InstanceId.New();
        (await sut.AcquireAsync(evicted, CancellationToken.None)).Value.Dispose();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var newcomer = InstanceId.New();

        (await sut.AcquireAsync(newcomer, CancellationToken.None)).Value.Dispose();

        Received.InOrder(() =>
        {
            _observer.Starting(Arg.Is<InstanceSnapshot>(s => s.Id == newcomer));
            _observer.Stopping(Arg.Is<InstanceSnapshot>(s => s.Id == evicted), StopReason.Evicted);
            _observer.Stopped(Arg.Is<InstanceSnapshot>(s => s.Id == evicted), StopReason.Evicted);
            _observer.Started(Arg.Is<InstanceSnapshot>(s => s.Id == newcomer), Arg.Any<TimeSpan>());
        });
    }

    [Fact]
    public async Task AcceptsStarts_AfterStopAll_IsFalse()
    {
        var sut = CreateSut();
        sut.AcceptsStarts.Should().BeTrue();

        await sut.StopAllAsync();

        sut.AcceptsStarts.Should().BeFalse();
    }
}
