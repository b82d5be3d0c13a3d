using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Proxy;

/// <summary>What an instance answers reaches the client as sent, except what the proxy must map into the prefix.</summary>
public sealed class ResponseFidelityTests(PoolServer server) : IClassFixture<PoolServer>
{
    [Theory]
    [InlineData("GET", 418)]
    [InlineData("POST", 200)]
    [InlineData("POST", 202)]
    [InlineData("POST", 409)]
    [InlineData("PUT", 500)]
    [InlineData("PATCH", 422)]
    [InlineData("DELETE", 204)]
    [InlineData("OPTIONS", 405)]
    public async Task Answer_AnyMethodAnyStatus_ReachesTheClientUnchanged(string method, int status)
    {
        using var client = server.CreateClient();
        var id = await server.SharedInstanceAsync();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri($"/{id}/status/{status}", UriKind.Relative)));

        ((int)response.StatusCode).Should().Be(status);
        if (status != 204)
        {
            (await response.Content.ReadAsStringAsync()).Should().Be($"status {status}");
        }
    }

    [Theory]
    [InlineData(404)]
    [InlineData(500)]
    public async Task Answer_BodilessErrorFromTheInstance_IsPassedOnNotReplacedByTheServicesProblem(int status)
    {
        using var client = server.CreateClient();
        var id = await server.SharedInstanceAsync();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri($"/{id}/status/{status}", UriKind.Relative)));

        ((int)response.StatusCode).Should().Be(status);
        response.Content.Headers.ContentType.Should().BeNull("the instance sent no body and no content type");
    }

    [Fact]
    public async Task Answer_MultiValuedHeaders_AreAllKept()
    {
        using var client = server.CreateClient();
        var id = await server.SharedInstanceAsync();

        using var response = await client.GetAsync(new Uri($"/{id}/status/200?header=X-Multi:one&header=X-Multi:two&cookie=a%3D1&cookie=b%3D2", UriKind.Relative));

        response.Headers.GetValues("X-Multi").Should().Equal("one", "two");
        response.Headers.GetValues("Set-Cookie").Should().Equal("a=1", "b=2");
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    [InlineData(201)]
    public async Task Answer_RootRelativeLocationOnRedirectOr201_IsMovedUnderThePrefix(int status)
    {
        using var client = server.CreateClient();
        var id = await server.SharedInstanceAsync();

        using var response = await client.GetAsync(new Uri($"/{id}/status/{status}?location=%2Ffoo%3Fx%3D1", UriKind.Relative));

        ((int)response.StatusCode).Should().Be(status);
        response.Headers.Location!.OriginalString.Should().Be($"/{id}/foo?x=1");
    }

    [Fact]
    public async Task Answer_AbsoluteLocationNamingTheBackend_BecomesThePublicPathAndNoHeaderNamesTheBackend()
    {
        using var client = server.CreateClient();
        var id = await server.SharedInstanceAsync();
        var port = (await client.GetJsonAsync($"/{id}/whoami")).GetProperty("port").GetInt32();

        using var response = await client.GetAsync(new Uri(
            $"/{id}/status/302?location=http%3A%2F%2F127.0.0.1%3A{port}%2Fa%3Fb&header=Content-Location:http://localhost:{port}/c", UriKind.Relative));

        response.Headers.Location!.OriginalString.Should().Be($"/{id}/a?b");
        response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value).Should()
            .NotContain(v => v.Contains($":{port}", StringComparison.Ordinal), "no answer may name the backend's address or port");
    }

    [Theory]
    [InlineData("foo/")]
    [InlineData("../x")]
    [InlineData("?p=2")]
    [InlineData("//other.example/x")]
    [InlineData("https://other.example/x")]
    public async Task Answer_RelativeOrForeignLocation_IsLeftAlone(string location)
    {
        using var client = server.CreateClient();
        var id = await server.SharedInstanceAsync();

        using var response = await client.GetAsync(new Uri($"/{id}/status/302?location={Uri.EscapeDataString(location)}", UriKind.Relative));

        response.Headers.Location!.OriginalString.Should().Be(location);
    }

    [Fact]
    public async Task Answer_CookiePaths_AreScopedToTheInstanceOtherAttributesUntouched()
    {
        using var client = server.CreateClient();
        var id = await server.SharedInstanceAsync();
        var cookies = "cookie=" + Uri.EscapeDataString("s=1; Path=/; HttpOnly; SameSite=Lax") + "&cookie=" + Uri.EscapeDataString("t=2; path=/x; Secure");

        using var response = await client.GetAsync(new Uri($"/{id}/status/200?{cookies}", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.GetValues("Set-Cookie").Should().Equal($"s=1; Path=/{id}/; HttpOnly; SameSite=Lax", $"t=2; path=/{id}/x; Secure");
    }

    [Fact]
    public async Task Answer_HeadersTheBackendNamesInConnection_AreNotPassedOn()
    {
        using var client = server.CreateClient();
        var id = await server.SharedInstanceAsync();

        using var response = await client.GetAsync(new Uri($"/{id}/status/200?header=Connection:X-Internal&header=X-Internal:secret&header=X-Public:1", UriKind.Relative));

        response.Headers.Contains("X-Internal").Should().BeFalse();
        response.Headers.GetValues("X-Public").Should().Equal("1");
    }

    [Fact]
    public async Task Head_LargeResource_GetsTheRealContentLengthAndNoBodyAndTheConnectionStaysUsable()
    {
        using var client = server.CreateClient();
        var id = await server.SharedInstanceAsync();

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri($"/{id}/bytes/123457", UriKind.Relative)));
        using var get = await client.GetAsync(new Uri($"/{id}/bytes/10", UriKind.Relative));

        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.Should().Be(123457);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        (await get.Content.ReadAsStringAsync()).Should().Be("abcdefghij");
    }

    [Fact]
    public async Task Answer_BackendDropsTheConnectionWithoutAnswering_Gets502ProblemAndTheInstanceServesTheNextRequest()
    {
        using var client = server.CreateClient();
        var id = await server.SharedInstanceAsync();
        var pid = await client.WhoAmIAsync(id);

        using var response = await client.GetAsync(new Uri($"/{id}/drop", UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "urn:skia-pool:problem:upstream-error");
        (await client.WhoAmIAsync(id)).Should().Be(pid);
    }

    [Theory]
    [InlineData("abort-mid-response")]
    [InlineData("crash-mid-response")]
    public async Task Answer_BackendFailsMidResponse_ClientSeesAnAbortedResponseNeverAShortCompleteOne(string path)
    {
        using var client = server.CreateClient();
        // An instance of its own: crash-mid-response kills its process, and the class's other tests share
        // theirs (one that came in before the pool had seen the exit would get a 502).
        var id = await client.CreateInstanceAsync();

        var read = async () =>
        {
            using var response = await client.GetAsync(new Uri($"/{id}/{path}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            await response.Content.ReadAsByteArrayAsync();
        };

        await read.Should().ThrowAsync<Exception>().Where(e => e is HttpRequestException || e is IOException);
    }

    [Fact]
    public async Task Answer_ClientDisconnectsMidDownload_TheBackendSeesItsRequestAborted()
    {
        var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        using (var response = await client.GetAsync(new Uri($"/{id}/slow/600", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            var stream = await response.Content.ReadAsStreamAsync();
            await stream.ReadExactlyAsync(new byte[1024]);
        }

        client.Dispose(); // closes the client's connection to the service
        using var observer = server.CreateClient();
        await Eventually.TrueAsync(async () =>
            (await observer.GetJsonAsync($"/{id}/slow-stats")).GetProperty("aborted").GetInt32() == 1,
            "the service closes its connection to the backend when the client goes");
    }
}
