using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Proxy;

/// <summary>Requests beyond the service's limits get a clean answer and never start an instance.</summary>
public sealed class LimitsTests
{
    private const int BodyLimit = 1024 * 1024;

    [Fact]
    public async Task Upload_ContentLengthAboveMaxRequestBodyBytes_Gets413ProblemAndStartsNothing()
    {
        await using var server = await PoolServer.StartAsync(Limited());
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var response = await client.PostAsync(new Uri($"/{id}/echo/x", UriKind.Relative), new ByteArrayContent(new byte[BodyLimit + 1]));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "urn:skia-pool:problem:body-too-large");
        problem.GetProperty("detail").GetString().Should().Contain("Pool:MaxRequestBodyBytes");
        server.InstanceProcesses().Should().BeEmpty();
    }

    [Fact]
    public async Task Upload_ChunkedBodyGrowingPastMaxRequestBodyBytes_Gets413Problem()
    {
        await using var server = await PoolServer.StartAsync(Limited());
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var content = new StreamContent(new PatternStream(4L * BodyLimit));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/{id}/echo/x", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "urn:skia-pool:problem:body-too-large");
    }

    [Fact]
    public async Task Upload_AtExactlyTheLimit_IsForwarded()
    {
        await using var server = await PoolServer.StartAsync(Limited());
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var response = await client.PostAsync(new Uri($"/{id}/echo/x", UriKind.Relative), new ByteArrayContent(new byte[BodyLimit]));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("line", 414)]
    [InlineData("header", 431)]
    [InlineData("headers", 431)]
    public async Task Request_BeyondKestrelLimits_IsRefusedWithItsStatusAndStartsNothing(string what, int status)
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var head = what switch
        {
            "line" => $"GET /{id}/x?{new string('a', 20 * 1024)} HTTP/1.1\r\nHost: x",
            "header" => $"GET /{id}/x HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 70 * 1024)}",
            _ => $"GET /{id}/x HTTP/1.1\r\nHost: x\r\n" + string.Join("\r\n", Enumerable.Range(0, 150).Select(i => $"X-H{i}: v")),
        };

        var answer = await RawHttp.SendHeadAsync(server.Port, head + "\r\nConnection: close");

        RawHttp.StatusOf(answer).Should().Be(status);
        server.InstanceProcesses().Should().BeEmpty();
    }

    [Fact]
    public async Task IdWithoutSlash_Post_Redirects307KeepingMethodAndQuery()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var response = await client.PostAsync(new Uri($"/{id}?a=1", UriKind.Relative), null);

        response.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location!.OriginalString.Should().Be($"/{id}/?a=1");
    }

    private static Dictionary<string, string> Limited() =>
        new() { ["Pool__MaxRequestBodyBytes"] = BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
