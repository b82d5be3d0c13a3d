using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration;

/// <summary>A bad setting stops the service at start, with a message that names the key.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Pool__MaxInstances", "0", "MaxInstances")]
    [InlineData("Pool__StartTimeout", "00:00:00", "StartTimeout")]
    [InlineData("Pool__MinFreeSlots", "500", "Pool:MinFreeSlots (500) must be less than Pool:MaxInstances")]
    [InlineData("Pool__StartPort", "65530", "Pool:StartPort (65530) + Pool:MaxInstances")]
    [InlineData("Pool__TrustedProxies__0", "not-an-address", "Pool:TrustedProxies entry 'not-an-address'")]
    [InlineData("Pool__ReadinessMaxDelay", "00:00:00.0001", "ReadinessMaxDelay")]
    [InlineData("Pool__HttpMetrics", "yes", "Pool:HttpMetrics")]
    [InlineData("Pool__MaxInstances", "abc", "Pool:MaxInstances")]
    public async Task Start_InvalidSetting_ExitsWithOneNamingTheKeyAndNoStackTrace(string key, string value, string expected) =>
        await ExpectCleanRefusal(new Dictionary<string, string> { [key] = value }, expected);

    [Fact]
    public async Task Start_ReadinessMaxDelayAboveStartTimeout_ExitsWithOneNamingBothKeys() =>
        await ExpectCleanRefusal(
            new Dictionary<string, string> { ["Pool__StartTimeout"] = "00:00:05", ["Pool__ReadinessMaxDelay"] = "00:00:06" },
            "Pool:ReadinessMaxDelay (00:00:06) must not exceed Pool:StartTimeout (00:00:05)");

    // Found while building the host (the shutdown timeout reads the pool's settings) or while starting it:
    // either way a plain message and exit code 1, never an abort with a stack trace.
    private static async Task ExpectCleanRefusal(Dictionary<string, string> settings, string expected)
    {
        PoolServer? started = null;
        try
        {
            var start = async () => started = await PoolServer.StartAsync(settings);

            var message = (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message;
            message.Should().Contain("The service exited with 1 at start").And.Contain("Invalid configuration: ").And.Contain(expected);
            message.Should().NotContain("Unhandled exception").And.NotContain("   at ");
        }
        finally
        {
            if (started is not null)
            {
                await started.DisposeAsync(); // a service that did start must not outlive the failed test
            }
        }
    }
}
