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
    public async Task Start_InvalidSetting_ExitsNamingTheKey(string key, string value, string expected)
    {
        var start = () => PoolServer.StartAsync(new Dictionary<string, string> { [key] = value });

        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain(expected);
    }
}
