using NSubstitute;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Domain.Lifecycle;

public sealed class InstanceLeaseTests
{
    private readonly ManualClock _clock = new();
    private readonly FakeLauncher _launcher = new();
    private readonly FakeReadinessProbe _probe = new();
    private readonly PoolOptions _options = new() { MaxInstances = 1 };

    private InstanceManager CreateSut() => new(_options, _launcher, _probe, _clock, Substitute.For<IInstanceObserver>());

    [Fact]
    public async Task Dispose_CalledTwice_DecrementsInFlightOnce()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        using var kept = (await sut.AcquireAsync(id, CancellationToken.None)).Value;
        var lease = (await sut.AcquireAsync(id, CancellationToken.None)).Value;

        lease.Dispose();
        lease.Dispose();

        sut.Status(id)!.Instance!.InFlight.Should().Be(1);
    }

    [Fact]
    public async Task Dispose_AtLaterTime_RecordsItAsLastUse()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        var lease = (await sut.AcquireAsync(id, CancellationToken.None)).Value;
        var end = _clock.Advance(TimeSpan.FromMinutes(5));

        lease.Dispose();

        sut.Status(id)!.Instance.Should().BeEquivalentTo(new { InFlight = 0, LastUsed = end });
    }

    [Fact]
    public async Task Touch_OpenLease_UpdatesLastUseAndKeepsItInFlight()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        using var lease = (await sut.AcquireAsync(id, CancellationToken.None)).Value;
        var touched = _clock.Advance(TimeSpan.FromMinutes(2));

        lease.Touch();

        sut.Status(id)!.Instance.Should().BeEquivalentTo(new { InFlight = 1, LastUsed = touched });
    }

    [Fact]
    public async Task Dispose_AfterInstanceWasRestarted_LeavesNewGenerationUntouched()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        var stale = (await sut.AcquireAsync(id, CancellationToken.None)).Value;
        await sut.RestartAsync(id, CancellationToken.None);
        using var current = (await sut.AcquireAsync(id, CancellationToken.None)).Value;

        stale.Dispose();

        sut.Status(id)!.Instance.Should().BeEquivalentTo(new { Generation = 2L, InFlight = 1 });
    }

    [Fact]
    public async Task TryAcquireRunning_RunningInstance_LeasesItAndRecordsTheUse()
    {
        var sut = CreateSut();
        var id = InstanceId.New();
        (await sut.AcquireAsync(id, CancellationToken.None)).Value.Dispose();
        var now = _clock.Advance(TimeSpan.FromMinutes(3));

        using var lease = sut.TryAcquireRunning(id);

        lease.Should().NotBeNull();
        sut.Status(id)!.Instance.Should().BeEquivalentTo(new { InFlight = 1, LastUsed = now, Port = lease!.Port });
    }

    [Fact]
    public void TryAcquireRunning_UnknownId_StartsNothing()
    {
        var sut = CreateSut();
        var id = InstanceId.New();

        var lease = sut.TryAcquireRunning(id);

        lease.Should().BeNull();
        sut.HasInstance(id).Should().BeFalse();
        _launcher.LaunchCount.Should().Be(0);
    }

    [Fact]
    public async Task TryAcquireRunning_WhileStarting_DoesNotWait()
    {
        var gate = _probe.Block(_options.StartPort);
        var sut = CreateSut();
        var id = InstanceId.New();
        var starting = sut.AcquireAsync(id, CancellationToken.None);

        var lease = sut.TryAcquireRunning(id);

        lease.Should().BeNull();
        gate.SetResult(FluentResults.Result.Ok());
        (await starting).Value.Dispose();
    }
}
