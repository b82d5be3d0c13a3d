using NSubstitute;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Domain.Ports;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Lifecycle;

public sealed class InstanceManagerTests
{
    private readonly ManualClock _clock = new();
    private readonly FakeLauncher _launcher = new();
    private readonly FakeReadinessProbe _probe = new();
    private readonly IInstanceObserver _observer = Substitute.For<IInstanceObserver>();
    private readonly PoolOptions _options = new() { MaxInstances = 4, StartPort = 40_000, DisplayBase = 200 };

    private InstanceManager CreateSut() => new(_options, _launcher, _probe, _clock, _observer);

    [Fact]
    public async Task AcquireAsync_FirstRequest_LaunchesOnceAndLeasesTheSlotPort()
    {
        var sut = CreateSut();
        var id = InstanceId.New();

        using var lease = (await sut.AcquireAsync(id, CancellationToken.None)).Value;

        (lease.Slot, lease.Port, lease.Generation).Should().Be((0, 40_000, 1L));
        _launcher.Requests.Should().Equal(new LaunchRequest(id, 0, 1, 40_000, 200, "/" + id));
        sut.Status(id)!.Instance.Should().BeEquivalentTo(new { Slot = 0, State = SlotState.Running, Pid = FakeLauncher.FirstPid, InFlight = 1 });
        _observer.Received(1).Started(Arg.Is<InstanceSnapshot>(s => s.Id == id && s.Pid == FakeLauncher.FirstPid), Arg.Any<TimeSpan>());
    }

    [Fact]
    public async Task AcquireAsync_AlreadyRunning_ReusesProcessWithoutLaunching()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        (await sut.AcquireAsync(id, CancellationToken.None)).Value.Dispose();

        using var lease = (await sut.AcquireAsync(id, CancellationToken.None)).Value;

        _launcher.LaunchCount.Should().Be(1);
        (lease.Slot, lease.Generation).Should().Be((0, 1L));
    }

    [Fact]
    public async Task AcquireAsync_TwoIds_LaunchesTwoProcessesOnTwoPorts()
    {
        var sut = CreateSut();

        using var a = (await sut.AcquireAsync(InstanceId.New(), CancellationToken.None)).Value;
        using var b = (await sut.AcquireAsync(InstanceId.New(), CancellationToken.None)).Value;

        (a.Port, b.Port).Should().Be((40_000, 40_001));
        sut.List().Select(i => i.Pid).Should().Equal(FakeLauncher.FirstPid, FakeLauncher.FirstPid + 1);
    }

    [Fact]
    public async Task AcquireAsync_FullPoolAllRecentlyUsed_FailsWithPoolFullAndLaunchesNothing()
    {
        _options.MaxInstances = 1;
        var sut = CreateSut();
        (await sut.AcquireAsync(InstanceId.New(), CancellationToken.None)).Value.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(15));

        var result = await sut.AcquireAsync(InstanceId.New(), CancellationToken.None);

        result.Errors.Single().Should().BeOfType<PoolFullError>().Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(45));
        _launcher.LaunchCount.Should().Be(1);
    }

    [Fact]
    public async Task AcquireAsync_FullPoolLruIdleLongEnough_EvictsItAndReportsTheEvictedOwner()
    {
        _options.MaxInstances = 1;
        var sut = CreateSut();
        var evicted = InstanceId.New();
        (await sut.AcquireAsync(evicted, CancellationToken.None)).Value.Dispose();
        _clock.Advance(_options.EvictAfterIdle);

        using var lease = (await sut.AcquireAsync(InstanceId.New(), CancellationToken.None)).Value;

        (lease.Slot, lease.Generation).Should().Be((0, 2L));
        _launcher.Processes.Select(p => (p.StopCalls, p.IsAlive)).Should().Equal((1, false), (0, true));
        sut.Status(evicted).Should().BeNull();
        _observer.Received(1).Stopped(
            Arg.Is<InstanceSnapshot>(s => s.Id == evicted && s.Pid == FakeLauncher.FirstPid && s.Generation == 1),
            StopReason.Evicted);
    }

    [Fact]
    public async Task AcquireAsync_AfterProcessExitedByItself_LaunchesNewProcessAndStatusKeepsLastExit()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        var cleanedUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _observer.When(o => o.Stopped(Arg.Any<InstanceSnapshot>(), StopReason.Exit)).Do(_ => cleanedUp.TrySetResult());
        (await sut.AcquireAsync(id, CancellationToken.None)).Value.Dispose();
        var exitAt = _clock.Advance(TimeSpan.FromMinutes(3));

        _launcher.Processes[0].Exit(7);
        await cleanedUp.Task.WithTimeout();

        sut.List().Should().BeEmpty();
        _launcher.Processes[0].StopCalls.Should().Be(1, "what the exited process left behind is stopped before the slot is reused");
        sut.Status(id).Should().Be(new InstanceStatus(null, new ExitRecord(7, exitAt)));
        _observer.Received(1).Exited(Arg.Is<InstanceSnapshot>(s => s.Id == id && s.Pid == FakeLauncher.FirstPid), 7);
        using var lease = (await sut.AcquireAsync(id, CancellationToken.None)).Value;
        (lease.Slot, lease.Generation).Should().Be((0, 2L));
        sut.Status(id)!.Instance!.Pid.Should().Be(FakeLauncher.FirstPid + 1);
    }
}
