using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Proxy;

/// <summary>Pool:TrustedProxies: only a proxy named there may tell the instance who the client was.</summary>
public sealed class TrustedProxyTests
{
    [Fact]
    public async Task Forward_FromATrustedProxy_KeepsItsForwardedHeadersAndAppendsThePeer()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__TrustedProxies__0"] = "127.0.0.1" });
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/{id}/echo/t", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "pool.example");

        using var response = await client.SendAsync(request);
        var headers = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("headers");

        headers.GetProperty("X-Forwarded-For")[0].GetString().Should().Be("203.0.113.9, 127.0.0.1");
        headers.GetProperty("X-Forwarded-Proto")[0].GetString().Should().Be("https");
        headers.GetProperty("X-Forwarded-Host")[0].GetString().Should().Be("pool.example");
        headers.GetProperty("X-Forwarded-Prefix")[0].GetString().Should().Be($"/{id}");
    }

    [Fact]
    public async Task Start_WithAspNetCoreForwardedHeadersEnabled_WarnsThatAnyPeerIsBelieved()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true" });

        await Eventually.TrueAsync(() => Task.FromResult(server.Output.Contains("ASPNETCORE_FORWARDEDHEADERS_ENABLED believes X-Forwarded-For from any peer", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Start_WithoutAspNetCoreForwardedHeaders_DoesNotWarnAboutThem()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();

        server.Output.Should().NotContain("ASPNETCORE_FORWARDEDHEADERS_ENABLED");
    }
}
