using Microsoft.Extensions.Options;
using NSubstitute;
using Skia.Pool.Api.Health;
using Skia.Pool.Domain;
using Skia.Pool.Domain.Instances;
using Skia.Pool.Domain.Lifecycle;
using Skia.Pool.Tests.Domain.Fakes;

namespace Skia.Pool.Tests.Api.Health;

public sealed class ServiceReadinessTests
{
    private readonly FakeLauncher _launcher = new();
    private readonly PoolOptions _options = new() { MaxInstances = 1, StartPort = 40_000, Command = "/bin/sh" };
    private InstanceManager? _instances;

    private ServiceReadiness CreateSut()
    {
        _instances = new InstanceManager(_options, _launcher, new FakeReadinessProbe(), new ManualClock(), Substitute.For<IInstanceObserver>());
        return new ServiceReadiness(Options.Create(_options), _instances);
    }

    [Fact]
    public void WhyNotReady_CommandExistsAndPoolOpen_IsNull() =>
        CreateSut().WhyNotReady().Should().BeNull();

    [Fact]
    public void WhyNotReady_CommandNotOnPath_NamesItAndPoolCommand()
    {
        _options.Command = "no-such-program-anywhere";

        CreateSut().WhyNotReady().Should().Be("The instance command 'no-such-program-anywhere' was not found (Pool:Command).");
    }

    [Fact]
    public async Task WhyNotReady_ShuttingDown_SaysSo()
    {
        var sut = CreateSut();

        await _instances!.StopAllAsync();

        sut.WhyNotReady().Should().Be("The service is shutting down.");
    }

    [Fact]
    public async Task WhyNotReady_EverySlotsPortHeldByAStranger_NamesStartPortAndMaxInstances()
    {
        var sut = CreateSut();
        _launcher.ForeignPorts.Add(40_000);

        await _instances!.AcquireAsync(InstanceId.New(), CancellationToken.None);

        sut.WhyNotReady().Should().Be("Every slot's port is held by another process (Pool:StartPort, Pool:MaxInstances).");
    }
}
