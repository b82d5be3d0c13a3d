using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Security;

/// <summary>
/// Connections to instances are pooled (shared by the readiness probe and the proxy): no pooled
/// connection may ever carry a user's request to a process other than that user's instance.
/// </summary>
public sealed class PooledConnectionTests
{
    [Fact]
    public async Task Start_StrangerAnsweredAFailedStartsProbeAndKeptThatConnection_LaterInstanceOnThePortNeverSendsItTraffic()
    {
        // Slow instances leave a window between the pool's port check and the instance's own bind.
        await using var server = await PoolServer.StartAsync(FakeServeArguments.With("--listen-delay-ms", "1500")
            .And("Pool__CullInterval", "00:00:00.500"));
        using var client = server.CreateClient();
        var first = await client.CreateInstanceAsync();

        // 1. A stranger takes slot 0's port after the pool checked it was free and answers the probe.
        var firstRequest = client.GetJsonAsync($"/{first}/whoami");
        await Eventually.TrueAsync(() => server.InstanceProcesses().Count > 0, "the first instance is launched");
        using var stranger = new KeepAliveStranger(server.StartPort);
        var firstWhoAmI = await firstRequest;
        firstWhoAmI.TryGetProperty("stranger", out _).Should().BeFalse();
        stranger.Requests.Should().ContainSingle("only the readiness probe reached the stranger so far");
        stranger.StoppedListening.Should().BeTrue();

        // 2. The next cull tick clears the block; the stranger no longer listens, so slot 0 is used again.
        await Eventually.TrueAsync(async () => (await client.ListInstancesAsync()).All(i => i.GetProperty("state").GetString() != "blocked"),
            "the cull tick clears the blocked mark");
        var second = await client.CreateInstanceAsync();
        var secondWhoAmI = await client.GetJsonAsync($"/{second}/whoami");

        // 3. The second user's request must reach the second user's instance, never the stranger.
        stranger.Requests.Should().ContainSingle("nothing after the first probe may reach a process the pool did not start")
            .And.NotContain(r => r.Contains(second, StringComparison.OrdinalIgnoreCase));
        secondWhoAmI.TryGetProperty("stranger", out _).Should().BeFalse();
        server.InstanceProcesses().Should().Contain(secondWhoAmI.GetProperty("pid").GetInt32());
        ((int[])[firstWhoAmI.GetProperty("port").GetInt32(), secondWhoAmI.GetProperty("port").GetInt32()])
            .Should().Contain(server.StartPort, "one of the two instances is on slot 0, where the stranger's connection was pooled");
    }

    [Fact]
    public async Task Start_StrangerHoldsItsAnswerToTheProbeUntilTheInstanceListens_UserRequestNeverReachesTheStranger()
    {
        // The stranger takes the port between the pool's port check and the instance's bind, answers the
        // probe only once the instance listens (so the listener check finds the instance's socket), and
        // keeps the probe's connection open.
        await using var server = await PoolServer.StartAsync(FakeServeArguments.With("--listen-delay-ms", "2000"));
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        var request = client.GetJsonAsync($"/{id}/whoami");
        await Eventually.TrueAsync(() => server.InstanceProcesses().Count > 0, "the instance is launched");
        await Task.Delay(1500); // close enough to the instance's bind that the held answer beats the 1 s probe timeout
        using var stranger = new KeepAliveStranger(server.StartPort, answerFirstOnceRebound: true);
        var whoami = await request;

        stranger.Requests.Should().NotContain(r => r.Contains(id, StringComparison.OrdinalIgnoreCase),
            "a user's request (and its id, in X-Forwarded-Prefix) must never reach a process the pool did not start");
        whoami.TryGetProperty("stranger", out _).Should().BeFalse();
        server.InstanceProcesses().Should().Contain(whoami.GetProperty("pid").GetInt32());
        stranger.Requests.Should().NotBeEmpty("the stranger did answer a readiness probe (else this test proves nothing)");
    }
}
