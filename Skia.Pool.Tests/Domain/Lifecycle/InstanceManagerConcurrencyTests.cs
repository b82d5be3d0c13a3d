using FluentResults;
using NSubstitute;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Domain.Pooling;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Lifecycle;

public sealed class InstanceManagerConcurrencyTests
{
    private readonly ManualClock _clock = new();
    private readonly FakeLauncher _launcher = new();
    private readonly FakeReadinessProbe _probe = new();
    private readonly PoolOptions _options = new() { MaxInstances = 4, StartPort = 40_000, MaxConcurrentStarts = 4 };

    private InstanceManager CreateSut() => new(_options, _launcher, _probe, _clock, Substitute.For<IInstanceObserver>());

    [Fact]
    public async Task AcquireAsync_FiftyConcurrentFirstRequests_LaunchOnceAndShareTheStart()
    {
        var gate = _probe.Block(_options.StartPort);
        var sut = CreateSut();
        var id = InstanceId.New();

        var acquires = Enumerable.Range(0, 50).Select(_ => Task.Run(() => sut.AcquireAsync(id, CancellationToken.None))).ToList();
        await _probe.Calls.WhenReached(1);
        _launcher.LaunchCount.Should().Be(1);
        gate.SetResult(Result.Ok());
        var leases = (await Task.WhenAll(acquires).WithTimeout()).Select(r => r.Value).ToList();

        leases.Select(l => (l.Slot, l.Generation, l.Port)).Distinct().Should().Equal((0, 1L, 40_000));
        (_launcher.LaunchCount, sut.Status(id)!.Instance!.InFlight).Should().Be((1, 50));
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public async Task AcquireAsync_OtherIdsStartBlocked_StartsWithoutWaitingForIt()
    {
        var gate = _probe.Block(_options.StartPort);
        var sut = CreateSut();
        var blocked = sut.AcquireAsync(InstanceId.New(), CancellationToken.None);
        await _probe.Calls.WhenReached(1);

        using var other = (await sut.AcquireAsync(InstanceId.New(), CancellationToken.None).WithTimeout()).Value;

        (other.Port, blocked.IsCompleted).Should().Be((40_001, false));
        gate.SetResult(Result.Ok());
        using var first = (await blocked.WithTimeout()).Value;
        (first.Port, _launcher.LaunchCount).Should().Be((40_000, 2));
    }

    [Fact]
    public async Task AcquireAsync_MaxConcurrentStartsOne_SecondLaunchWaitsForFirstStart()
    {
        _options.MaxConcurrentStarts = 1;
        var gate = _probe.Block(_options.StartPort);
        var sut = CreateSut();
        var first = sut.AcquireAsync(InstanceId.New(), CancellationToken.None);
        await _probe.Calls.WhenReached(1);

        // Run the second start on this thread until it can go no further without waiting.
        var second = new ManualSynchronizationContext().RunUntilIdle(() => sut.AcquireAsync(InstanceId.New(), CancellationToken.None));

        (_launcher.LaunchCount, sut.List().Select(i => i.State)).Should().BeEquivalentTo((1, new[] { SlotState.Starting, SlotState.Starting }));
        gate.SetResult(Result.Ok());
        await _launcher.WhenLaunched(2);
        using var a = (await first.WithTimeout()).Value;
        using var b = (await second.WithTimeout()).Value;
        (a.Port, b.Port, _launcher.LaunchCount).Should().Be((40_000, 40_001, 2));
    }

    [Fact]
    public async Task RestartAndAcquire_FiveEachConcurrently_SettleOnExactlyOneRunningProcess()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        (await sut.AcquireAsync(id, CancellationToken.None)).Value.Dispose();

        var restarts = Enumerable.Range(0, 5).Select(_ => Task.Run(() => sut.RestartAsync(id, CancellationToken.None)));
        var acquires = Enumerable.Range(0, 5).Select(_ => Task.Run(async () =>
        {
            var lease = await sut.AcquireAsync(id, CancellationToken.None);
            lease.ValueOrDefault?.Dispose();
        }));
        await Task.WhenAll([.. restarts, .. acquires]).WithTimeout();

        var live = _launcher.LiveProcesses.Should().ContainSingle().Subject;
        sut.Status(id)!.Instance.Should().BeEquivalentTo(new { Pid = live.Pid, State = SlotState.Running, InFlight = 0 });
        _launcher.Processes.Except([live]).Should().OnlyContain(p => p.StopCalls == 1);
        sut.List().Should().ContainSingle();
    }
}
