using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Proxy;

/// <summary>Pool:StripPrefix=false: for backends told their base URL, the full path is forwarded.</summary>
public sealed class BaseUrlModeTests
{
    [Fact]
    public async Task Forward_StripPrefixOff_BackendReceivesTheFullPathAndItsPrefixFromTheCommandLine()
    {
        await using var server = await PoolServer.StartAsync(
            FakeServeArguments.With("--base-path", "{prefix}").And("Pool__StripPrefix", "false"));
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        var echo = await client.GetJsonAsync($"/{id}/echo/a%2Fb?x=1");
        using var redirect = await client.PostAsync(new Uri($"/{id}/status/303?location=%2F{id}%2Fdone", UriKind.Relative), null);

        echo.GetProperty("rawTarget").GetString().Should().Be($"/{id}/echo/a%2Fb?x=1");
        redirect.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        redirect.Headers.Location!.OriginalString.Should().Be($"/{id}/done", "a location already under the prefix is not prefixed twice");
    }
}
