using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Lifecycle;

/// <summary>The culler runs by itself and stops what its rules select.</summary>
public sealed class CullingTests
{
    [Fact]
    public async Task CullTick_InstanceIdlePastIdleTimeout_IsStoppedAndItsSlotFreed()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string>
        {
            ["Pool__CullInterval"] = "00:00:00.200",
            ["Pool__IdleTimeout"] = "00:00:01",
        });
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var pid = await client.WhoAmIAsync(id);

        await Eventually.TrueAsync(async () => (await client.ListInstancesAsync()).Length == 0, "an idle instance is culled");

        MarkedProcesses.IsAlive(pid).Should().BeFalse();
        await Eventually.TrueAsync(() => server.Output.Contains("reason Idle", StringComparison.Ordinal), "the stop is logged with its reason");
    }

    [Fact]
    public async Task CullTick_MoreRunningThanMinFreeSlotsAllows_StopsTheLeastRecentlyUsed()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string>
        {
            ["Pool__MaxInstances"] = "3",
            ["Pool__MinFreeSlots"] = "2",
            ["Pool__CullInterval"] = "00:00:00.300",
            ["Pool__EvictAfterIdle"] = "00:10:00",
        });
        using var client = server.CreateClient();
        var first = await client.CreateInstanceAsync();
        var firstPid = await client.WhoAmIAsync(first);
        var second = await client.CreateInstanceAsync();
        var secondPid = await client.WhoAmIAsync(second);

        await Eventually.TrueAsync(() => !MarkedProcesses.IsAlive(firstPid), "the least recently used instance is culled");

        MarkedProcesses.IsAlive(secondPid).Should().BeTrue("only one must go to keep two of three slots free");
        await Eventually.TrueAsync(() => server.Output.Contains("reason CullLru", StringComparison.Ordinal), "the stop is logged with its reason");
    }
}
