using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Lifecycle;

/// <summary>A full pool evicts the least recently used idle instance, or says when to come back.</summary>
public sealed class FullPoolTests
{
    [Fact]
    public async Task NewId_PoolFullAndNothingIdleLongEnough_Answers503WithRetryAfter()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string>
        {
            ["Pool__MaxInstances"] = "2",
            ["Pool__MinFreeSlots"] = "0",
            ["Pool__EvictAfterIdle"] = "00:10:00",
        });
        using var client = server.CreateClient();
        await client.WhoAmIAsync(await client.CreateInstanceAsync());
        await client.WhoAmIAsync(await client.CreateInstanceAsync());

        using var response = await client.GetAsync(new Uri($"/{await client.CreateInstanceAsync()}/", UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "urn:skia-pool:problem:pool-full");
        response.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeInRange(1, 600);
        server.InstanceProcesses().Should().HaveCount(2);
    }

    [Fact]
    public async Task NewId_PoolFullWithIdleInstances_EvictsTheLeastRecentlyUsed()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string>
        {
            ["Pool__MaxInstances"] = "2",
            ["Pool__MinFreeSlots"] = "0",
            ["Pool__EvictAfterIdle"] = "00:00:00",
        });
        using var client = server.CreateClient();
        var older = await client.CreateInstanceAsync();
        var newer = await client.CreateInstanceAsync();
        var olderPid = await client.WhoAmIAsync(older);
        var newerPid = await client.WhoAmIAsync(newer);
        await client.WhoAmIAsync(newer);

        var thirdPid = await client.WhoAmIAsync(await client.CreateInstanceAsync());

        MarkedProcesses.IsAlive(olderPid).Should().BeFalse("the least recently used instance is evicted");
        MarkedProcesses.IsAlive(newerPid).Should().BeTrue();
        server.InstanceProcesses().Should().BeEquivalentTo([newerPid, thirdPid]);
        (await client.ListInstancesAsync()).Select(i => i.GetProperty("id").GetString()).Should().NotContain(older);
    }
}
