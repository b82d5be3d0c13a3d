using System.Net;
using Skia.Pool.Infrastructure.Processes;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Lifecycle;

/// <summary>A stop reaches every descendant, even through wrappers and signal-ignoring backends.</summary>
public sealed class StopTreeTests
{
    [Fact]
    public async Task Restart_BackendIgnoresSigterm_IsKilledAfterTheGracePeriod()
    {
        await using var server = await PoolServer.StartAsync(
            FakeServeArguments.With("--ignore-sigterm").And("Pool__StopGracePeriod", "00:00:00.500"));
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var oldPid = await client.WhoAmIAsync(id);

        using var restart = await client.PostAsync(new Uri($"/{id}/instanceStatus", UriKind.Relative), null);

        restart.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        MarkedProcesses.IsAlive(oldPid).Should().BeFalse();
        server.InstanceProcesses().Should().ContainSingle().Which.Should().Be(await client.WhoAmIAsync(id));
    }

    [SkippableFact]
    public async Task Restart_UnderRealXvfbRun_LeavesNeitherXvfbNorBackendAndFreesThePort()
    {
        Prerequisites.Require("xvfb-run", "Xvfb");
        await using var server = await PoolServer.StartAsync(XvfbRunSettings());
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var backendPid = await client.WhoAmIAsync(id);
        var firstGeneration = server.InstanceProcesses();
        firstGeneration.Select(MarkedProcesses.Describe).Should().Contain(d => d.Contains("Xvfb", StringComparison.Ordinal));
        var port = (await client.GetJsonAsync($"/{id}/instanceStatus")).GetProperty("port").GetInt32();

        using var stop = await client.PostAsync(new Uri($"/{id}/instanceStatus", UriKind.Relative), null);

        stop.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        firstGeneration.Where(MarkedProcesses.IsAlive).Should().BeEmpty("SIGTERM to xvfb-run alone would leave Xvfb and the backend running");
        MarkedProcesses.IsAlive(backendPid).Should().BeFalse();
        (await client.WhoAmIAsync(id)).Should().NotBe(backendPid);
        await server.StopAsync(TimeSpan.FromSeconds(20));
        server.InstanceProcesses().Should().BeEmpty();
        PortCheck.IsFree(port).Should().BeTrue();
    }

    private static Dictionary<string, string> XvfbRunSettings() => new()
    {
        ["Pool__Command"] = "xvfb-run",
        ["Pool__Arguments__0"] = "--server-args",
        ["Pool__Arguments__1"] = "-screen 0 640x480x24",
        ["Pool__Arguments__2"] = "--server-num",
        ["Pool__Arguments__3"] = "{display}",
        ["Pool__Arguments__4"] = "{appBase}/Skia.Pool.FakeServe",
        ["Pool__Arguments__5"] = "--port",
        ["Pool__Arguments__6"] = "{port}",
        ["Pool__Arguments__7"] = "--source",
        ["Pool__Arguments__8"] = "",
        ["Pool__Arguments__9"] = "--hosted",
    };
}
