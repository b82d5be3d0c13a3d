using FluentResults;
using NSubstitute;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Errors;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Lifecycle;

public sealed class InstanceManagerStopTests
{
    private readonly ManualClock _clock = new();
    private readonly FakeLauncher _launcher = new();
    private readonly FakeReadinessProbe _probe = new();
    private readonly IInstanceObserver _observer = Substitute.For<IInstanceObserver>();
    private readonly PoolOptions _options = new() { MaxInstances = 3, StartPort = 40_000 };

    private InstanceManager CreateSut() => new(_options, _launcher, _probe, _clock, _observer);

    private static async Task<InstanceId> StartAsync(InstanceManager sut)
    {
        var id = InstanceId.New();
        (await sut.AcquireAsync(id, CancellationToken.None)).Value.Dispose();
        return id;
    }

    [Theory]
    [InlineData(StopReason.Admin)]
    [InlineData(StopReason.Idle)]
    public async Task StopAsync_RunningInstance_StopsProcessFreesSlotAndReportsReason(StopReason reason)
    {
        var sut = CreateSut();
        var id = await StartAsync(sut);

        var result = await sut.StopAsync(id, reason);

        result.IsSuccess.Should().BeTrue();
        _launcher.Processes.Single().StopCalls.Should().Be(1);
        (sut.List().Count, sut.FreeSlots).Should().Be((0, 3));
        _observer.Received(1).Stopped(Arg.Is<InstanceSnapshot>(s => s.Id == id && s.Pid == FakeLauncher.FirstPid), reason);
    }

    [Fact]
    public async Task StopAsync_UnknownId_FailsWithUnknownInstance()
    {
        var sut = CreateSut();
        await StartAsync(sut);

        var result = await sut.StopAsync(InstanceId.New(), StopReason.Admin);

        result.Errors.Single().Should().BeOfType<UnknownInstanceError>();
        _launcher.Processes.Single().StopCalls.Should().Be(0);
    }

    [Fact]
    public async Task StopAsync_WhileStarting_WaitsForTheStartThenStopsIt()
    {
        var gate = _probe.Block(_options.StartPort);
        var sut = CreateSut();
        var id = InstanceId.New();
        var acquire = sut.AcquireAsync(id, CancellationToken.None);
        await _probe.Calls.WhenReached(1);

        var stop = sut.StopAsync(id, StopReason.Admin);
        stop.IsCompleted.Should().BeFalse();
        gate.SetResult(Result.Ok());

        (await stop.WithTimeout()).IsSuccess.Should().BeTrue();
        (await acquire.WithTimeout()).ValueOrDefault?.Dispose();
        _launcher.Processes[0].StopCalls.Should().Be(1);
        _observer.Received(1).Stopped(Arg.Is<InstanceSnapshot>(s => s.Pid == FakeLauncher.FirstPid), StopReason.Admin);
    }

    [Fact]
    public async Task RestartAsync_RunningInstance_StopsOldProcessAndStartsNewOneOnSameSlot()
    {
        var sut = CreateSut();
        var id = await StartAsync(sut);

        var snapshot = (await sut.RestartAsync(id, CancellationToken.None)).Value;

        (snapshot.Slot, snapshot.Generation, snapshot.Pid, snapshot.State, snapshot.InFlight)
            .Should().Be((0, 2L, FakeLauncher.FirstPid + 1, SlotState.Running, 0));
        _launcher.Processes.Select(p => p.StopCalls).Should().Equal(1, 0);
        _observer.Received(1).Stopped(Arg.Is<InstanceSnapshot>(s => s.Pid == FakeLauncher.FirstPid), StopReason.Restart);
    }

    [Fact]
    public async Task StopAllAsync_RunningInstances_StopsEveryOneAndRefusesLaterStarts()
    {
        var sut = CreateSut();
        await StartAsync(sut);
        await StartAsync(sut);

        await sut.StopAllAsync();
        var later = await sut.AcquireAsync(InstanceId.New(), CancellationToken.None);

        _launcher.Processes.Select(p => p.StopCalls).Should().Equal(1, 1);
        sut.List().Should().BeEmpty();
        later.Errors.Single().Should().BeOfType<StartFailedError>().Which.Message.Should().Contain("shutting down");
        _launcher.LaunchCount.Should().Be(2);
        _observer.Received(2).Stopped(Arg.Any<InstanceSnapshot>(), StopReason.Shutdown);
    }

    [Fact]
    public async Task StopAllAsync_LaunchInProgress_WaitsForTheStartThenStopsIt()
    {
        var gate = _launcher.Block();
        var sut = CreateSut();
        var acquire = sut.AcquireAsync(InstanceId.New(), CancellationToken.None);
        await _launcher.WhenLaunched(1);

        var stopAll = sut.StopAllAsync();
        stopAll.IsCompleted.Should().BeFalse();
        gate.SetResult();
        await stopAll.WithTimeout();

        // Whether the waiting request got its lease before the shutdown stop is a race it may lose.
        (await acquire.WithTimeout()).ValueOrDefault?.Dispose();
        _launcher.Processes.Single().StopCalls.Should().Be(1);
        sut.List().Should().BeEmpty();
    }
}
