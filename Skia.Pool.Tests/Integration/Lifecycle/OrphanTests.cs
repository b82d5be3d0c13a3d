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
    public async Task Start_RegistryFileNamingAnUnrelatedProcess_LeavesItAlone()
    {
        using var bystander = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("setsid", "sleep 60"))!;
        await Eventually.TrueAsync(() => File.ReadAllText($"/proc/{bystander.Id}/cmdline").StartsWith("sleep", StringComparison.Ordinal));
        var stat = File.ReadAllText($"/proc/{bystander.Id}/stat");
        var startTime = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        var state = Path.Combine(Path.GetTempPath(), "skia-pool-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var port = PortRanges.NextBlock();
        await File.WriteAllTextAsync(Path.Combine(state, $"instances-{port}.pids"), $"{bystander.Id} {startTime}\n");

        await using (await PoolServer.StartAsync(new Dictionary<string, string>
        {
            ["Pool__StartPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pool__StateDirectory"] = state,
        }))
        {
            bystander.HasExited.Should().BeFalse("only processes carrying this service's marker are ever swept");
        }

        bystander.Kill();
        Directory.Delete(state, recursive: true);
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
