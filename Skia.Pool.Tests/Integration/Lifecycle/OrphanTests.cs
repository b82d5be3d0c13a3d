using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Lifecycle;

/// <summary>A service killed without warning leaves instances behind; its next run stops them, and only them.</summary>
public sealed class OrphanTests
{
    [Fact]
    public async Task Restart_AfterSigkillOfTheService_StopsEveryInstanceOfThePreviousRunAndNothingElse()
    {
        var first = await PoolServer.StartAsync();
        await using (first)
        {
            using var client = first.CreateClient();
            var pids = new List<int>();
            for (var i = 0; i < 3; i++)
            {
                pids.Add(await client.WhoAmIAsync(await client.CreateInstanceAsync()));
            }

            // A bystander: not started by the pool, must survive the sweep.
            using var bystander = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "60"))!;
            await first.KillAsync();
            pids.Should().OnlyContain(pid => MarkedProcesses.IsAlive(pid), "SIGKILL gives the service no chance to stop its instances");

            await using var second = await PoolServer.StartAsync(new Dictionary<string, string>
            {
                ["Pool__StartPort"] = first.StartPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Pool__StateDirectory"] = first.StateDirectory,
            });

            pids.Should().OnlyContain(pid => !MarkedProcesses.IsAlive(pid));
            MarkedProcesses.Find(first.Marker).Should().BeEmpty();
            bystander.HasExited.Should().BeFalse();
            bystander.Kill();
        }
    }

    [Fact]
    public async Task Sigterm_WithAnInstanceIgnoringSigterm_ExitsAfterKillingIt()
    {
        await using var server = await PoolServer.StartAsync(
            FakeServeArguments.With("--ignore-sigterm").And("Pool__StopGracePeriod", "00:00:00.500"));
        using var client = server.CreateClient();
        await client.WhoAmIAsync(await client.CreateInstanceAsync());

        var exitCode = await server.StopAsync(TimeSpan.FromSeconds(15));

        exitCode.Should().Be(0);
        server.InstanceProcesses().Should().BeEmpty();
    }
}
