using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Lifecycle;

/// <summary>Backends that never listen, exit during start, or exit later: clear answers, nothing left behind.</summary>
public sealed class FailingBackendTests
{
    [Fact]
    public async Task Start_BackendNeverListens_Answers504NamingStartTimeoutAndLeavesNothing()
    {
        await using var server = await PoolServer.StartAsync(FakeServeArguments.With("--never-listen").And("Pool__StartTimeout", "00:00:01.500"));
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var response = await client.GetAsync(new Uri($"/{id}/", UriKind.Relative));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.GatewayTimeout, "urn:skia-pool:problem:not-ready");
        problem.GetProperty("detail").GetString().Should().Contain("Pool:StartTimeout");
        server.InstanceProcesses().Should().BeEmpty();
        (await client.ListInstancesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Start_BackendAcceptsButNeverAnswers_Answers504AndLeavesNothing()
    {
        await using var server = await PoolServer.StartAsync(FakeServeArguments.With("--hang").And("Pool__StartTimeout", "00:00:02"));
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var response = await client.GetAsync(new Uri($"/{id}/", UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.GatewayTimeout, "urn:skia-pool:problem:not-ready");
        server.InstanceProcesses().Should().BeEmpty();
        (await client.ListInstancesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Start_BackendExitsAtOnce_Answers502WithExitCodeAndStderrAndNextRequestTriesAgain()
    {
        await using var server = await PoolServer.StartAsync(
            FakeServeArguments.With("--exit-after-ms", "0", "--exit-code", "7", "--stderr-lines", "2"));
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var first = await client.GetAsync(new Uri($"/{id}/", UriKind.Relative));
        using var second = await client.GetAsync(new Uri($"/{id}/", UriKind.Relative));

        var problem = await first.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "urn:skia-pool:problem:start-failed");
        problem.GetProperty("exitCode").GetInt32().Should().Be(7);
        problem.GetProperty("stderr").EnumerateArray().Select(l => l.GetString()).Should().Contain("fakeserve: exiting with code 7");
        (await second.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "urn:skia-pool:problem:start-failed"))
            .GetProperty("exitCode").GetInt32().Should().Be(7, "the second request makes a fresh attempt");
        server.InstanceProcesses().Should().BeEmpty();
        (await client.ListInstancesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Running_BackendExitsByItself_SlotIsFreedStatusShowsExitAndNextRequestStartsANewProcess()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var firstPid = await client.WhoAmIAsync(id);

        (await client.GetAsync(new Uri($"/{id}/quitquitquit", UriKind.Relative))).Dispose();
        await Eventually.TrueAsync(async () => (await client.ListInstancesAsync()).Length == 0);

        using var status = await client.GetAsync(new Uri($"/{id}/instanceStatus", UriKind.Relative));
        var problem = await status.ShouldBeProblemAsync(HttpStatusCode.NotFound, "urn:skia-pool:problem:unknown-instance");
        problem.GetProperty("lastExit").GetProperty("exitCode").GetInt32().Should().Be(0);
        MarkedProcesses.IsAlive(firstPid).Should().BeFalse("the exited child is reaped, not a zombie");
        var secondPid = await client.WhoAmIAsync(id);
        secondPid.Should().NotBe(firstPid);
    }
}
