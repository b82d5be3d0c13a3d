using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration;

/// <summary>Stopping the service stops every instance with it.</summary>
public sealed class ServiceShutdownTests
{
    [Fact]
    public async Task Sigterm_WithThreeRunningInstances_ExitsAndLeavesNoInstanceProcess()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await client.WhoAmIAsync(await client.CreateInstanceAsync());
        }

        server.InstanceProcesses().Should().HaveCount(3);

        var exitCode = await server.StopAsync(TimeSpan.FromSeconds(20));

        exitCode.Should().Be(0);
        server.InstanceProcesses().Should().BeEmpty();
    }
}
