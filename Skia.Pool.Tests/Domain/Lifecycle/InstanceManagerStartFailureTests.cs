using NSubstitute;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Lifecycle;

public sealed class InstanceManagerStartFailureTests
{
    private readonly ManualClock _clock = new();
    private readonly FakeLauncher _launcher = new();
    private readonly FakeReadinessProbe _probe = new();
    private readonly IInstanceObserver _observer = Substitute.For<IInstanceObserver>();
    private readonly PoolOptions _options = new() { MaxInstances = 2, StartPort = 40_000 };

    private InstanceManager CreateSut() => new(_options, _launcher, _probe, _clock, _observer);

    [Fact]
    public async Task AcquireAsync_LauncherFails_ReturnsStartFailedAndFreesSlot()
    {
        _launcher.Failure = new StartFailedError("The instance command 'skiaserve' was not found (Pool:Command).");
        var sut = CreateSut();
        var id = InstanceId.New();

        var result = await sut.AcquireAsync(id, CancellationToken.None);

        result.Errors.Single().Should().BeSameAs(_launcher.Failure);
        (sut.List().Count, sut.FreeSlots, sut.Status(id)).Should().Be((0, 2, null));
        _observer.Received(1).StartFailed(Arg.Is<InstanceSnapshot>(s => s.Id == id), _launcher.Failure, Arg.Any<TimeSpan>());
    }

    [Fact]
    public async Task AcquireAsync_ProbeNotReady_StopsProcessOnceAndFreesSlot()
    {
        _probe.Failure = new NotReadyError(_options.StartTimeout);
        var sut = CreateSut();

        var result = await sut.AcquireAsync(InstanceId.New(), CancellationToken.None);

        result.Errors.Single().Should().BeSameAs(_probe.Failure);
        _launcher.Processes.Single().StopCalls.Should().Be(1);
        (sut.List().Count, sut.FreeSlots).Should().Be((0, 2));
    }

    [Fact]
    public async Task AcquireAsync_ProcessExitsDuringStart_ReturnsStartFailedWithExitCodeAndErrorLines()
    {
        var gate = _probe.Block(_options.StartPort);
        var sut = CreateSut();
        var acquire = sut.AcquireAsync(InstanceId.New(), CancellationToken.None);
        await _probe.Calls.WhenReached(1);
        var process = _launcher.Processes.Single();
        process.RecentErrorLines = ["xvfb-run: error: Xvfb failed to start"];

        process.Exit(3);
        gate.SetResult(new NotReadyError(_options.StartTimeout));
        var result = await acquire.WithTimeout();

        var error = result.Errors.Single().Should().BeOfType<StartFailedError>().Subject;
        (error.ExitCode, error.ErrorLines.Single()).Should().Be((3, "xvfb-run: error: Xvfb failed to start"));
        (sut.List().Count, sut.FreeSlots).Should().Be((0, 2));
    }

    [Fact]
    public async Task AcquireAsync_ProbeThrows_StopsLaunchedProcessAndFreesSlot()
    {
        _probe.Throws = new HttpRequestException("connection refused");
        var sut = CreateSut();

        var result = await sut.AcquireAsync(InstanceId.New(), CancellationToken.None);

        result.Errors.Single().Should().BeOfType<StartFailedError>();
        _launcher.Processes.Single().StopCalls.Should().Be(1, "a process whose probe broke must not be left on the slot's port");
        (sut.List().Count, sut.FreeSlots).Should().Be((0, 2));
    }

    [Fact]
    public async Task AcquireAsync_AfterFailedStart_LaunchesAgainOnTheSameSlot()
    {
        _probe.Failure = new NotReadyError(_options.StartTimeout);
        var sut = CreateSut();
        var id = InstanceId.New();
        await sut.AcquireAsync(id, CancellationToken.None);
        _probe.Failure = null;

        using var lease = (await sut.AcquireAsync(id, CancellationToken.None)).Value;

        (lease.Slot, lease.Generation, _launcher.LaunchCount).Should().Be((0, 2L, 2));
        sut.Status(id)!.Instance!.Pid.Should().Be(FakeLauncher.FirstPid + 1);
    }
}
