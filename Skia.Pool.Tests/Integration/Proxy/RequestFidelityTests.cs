using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Proxy;

/// <summary>What a client sends arrives at its instance intact: target, headers, bodies.</summary>
public sealed class RequestFidelityTests(PoolServer server) : IClassFixture<PoolServer>
{
    [Theory]
    [InlineData("/echo/a%2Fb")]
    [InlineData("/echo/a%2520b?x=%20&y")]
    [InlineData("/echo/a+b?q=a+b")]
    [InlineData("/echo/caf%C3%A9?name=%E2%9C%93")]
    [InlineData("/echo/%5Bx%5D?a%5B%5D=1&a[]=2")]
    [InlineData("/echo/q?empty=&valueless&&=x")]
    [InlineData("/echo/%41%7E;p=1")]
    public async Task Forward_AnyRawTarget_ArrivesByteExactWithoutThePrefix(string target)
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();

        var echo = await EchoAsync(client, HttpMethod.Get, VerbatimUri.For(server, $"/{id}{target}"));

        echo.GetProperty("rawTarget").GetString().Should().Be(target);
        echo.GetProperty("protocol").GetString().Should().Be("HTTP/1.1");
    }

    [Theory]
    [InlineData("/../{0}/echo/x")]
    [InlineData("/{0}/../{0}/echo/x")]
    [InlineData("/{0}/echo/%2e%2e/x")]
    [InlineData("/{0}/echo/..%2F..%2Fx")]
    public async Task Forward_DotSegmentsInAnySpelling_Refused400BeforeAnyInstanceStarts(string template)
    {
        using var creator = server.CreateClient();
        var id = await creator.CreateInstanceAsync(); // a fresh id: nothing runs for it yet

        var head = await RawHttp.SendHeadAsync(server.Port, $"GET {string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id)} HTTP/1.1\r\nHost: x\r\nConnection: close");

        RawHttp.StatusOf(head).Should().Be(400);
        head.Should().Contain("application/problem+json");
        using var client = server.CreateClient();
        (await client.ListInstancesAsync()).Should().NotContain(i => i.GetProperty("id").GetString() == id);
    }

    [Theory]
    [InlineData("http://a/{0}/echo/x%0d%0aX-Injected:%20yes")]
    [InlineData("http://a/{0}/echo/x")]
    [InlineData("//{0}/echo/x")]
    public async Task Forward_TargetNotInOriginForm_Refused400AndNothingStarts(string template)
    {
        using var creator = server.CreateClient();
        var id = await creator.CreateInstanceAsync();

        var head = await RawHttp.SendHeadAsync(server.Port, $"GET {string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id)} HTTP/1.1\r\nHost: a\r\nConnection: close");

        RawHttp.StatusOf(head).Should().Be(400);
        head.Should().Contain("application/problem+json");
        (await creator.ListInstancesAsync()).Should().NotContain(i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Forward_ClientForwardedHeaders_AreReplacedByTheServiceOwn()
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/{id}/echo/h", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/elsewhere");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=6.6.6.6");

        var headers = (await EchoAsync(client, request)).GetProperty("headers");

        Values(headers, "X-Forwarded-For").Should().Equal("127.0.0.1");
        Values(headers, "X-Forwarded-Proto").Should().Equal("http");
        Values(headers, "X-Forwarded-Host").Should().Equal($"127.0.0.1:{server.Port}");
        Values(headers, "X-Forwarded-Prefix").Should().Equal($"/{id}");
        headers.TryGetProperty("Forwarded", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Forward_HopByHopHeadersAndTheOnesConnectionNames_AreNotForwarded()
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();
        await client.WhoAmIAsync(id);

        // Raw bytes: HttpClient rewrites a request's Connection header, which is the very thing under test.
        // HTTP/1.0, so the answer comes unchunked and the connection closes without a "close" token (Kestrel
        // reduces "Connection: X, close" to "close", losing X: a documented limit, docs/proxy.md).
        var answer = await RawHttp.SendAsync(server.Port,
            $"GET /{id}/echo/h HTTP/1.0\r\nHost: x\r\nConnection: X-Private\r\nX-Private: secret\r\n"
            + "Keep-Alive: timeout=5\r\nProxy-Authorization: Basic eDp5\r\nProxy-Connection: keep-alive\r\n"
            + "TE: trailers, deflate\r\nUpgrade: h2c\r\nX-Kept: yes");

        var names = JsonDocument.Parse(answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]).RootElement
            .GetProperty("headers").EnumerateObject().Select(p => p.Name.ToUpperInvariant()).ToList();
        names.Should().NotContain(["X-PRIVATE", "KEEP-ALIVE", "PROXY-AUTHORIZATION", "PROXY-CONNECTION", "CONNECTION", "UPGRADE"]);
        names.Should().Contain("X-KEPT");
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("Expires, a b, x@y, \"quoted\"")]
    public async Task Forward_ConnectionNamingContentHeadersOrNonTokens_IsStillForwarded(string connection)
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/{id}/echo/c", UriKind.Relative))
        {
            Content = new StringContent("body"),
        };
        request.Headers.TryAddWithoutValidation("Connection", connection);

        var echo = await EchoAsync(client, request);

        echo.GetProperty("bodyBytes").GetInt64().Should().Be(4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Forward_EitherForwarder_SendsHostNamingTheInstanceAndThePublicHostAsXForwardedHost(bool expectContinue)
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();
        var port = (await client.GetJsonAsync($"/{id}/whoami")).GetProperty("port").GetInt32();

        // Expect: 100-continue goes through YARP, a plain request through the relay.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/{id}/echo/host", UriKind.Relative))
        {
            Content = new StringContent("body"),
        };
        request.Headers.Host = "public.example";
        request.Headers.ExpectContinue = expectContinue;
        var yarpBefore = await YarpForwardedAsync(client);
        var headers = (await EchoAsync(client, request)).GetProperty("headers");

        (await YarpForwardedAsync(client) - yarpBefore).Should().Be(expectContinue ? 1 : 0);
        Values(headers, "Host").Should().Equal($"127.0.0.1:{port}");
        Values(headers, "X-Forwarded-Host").Should().Equal("public.example");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Forward_HeaderValueBeyondAscii_ArrivesAsTheClientsUtf8ThroughEitherForwarder(bool expectContinue)
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();

        // A cookie a page's script set with non-ASCII text: browsers send its UTF-8 bytes as they are.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/{id}/echo/utf8", UriKind.Relative))
        {
            Content = new StringContent("body"),
        };
        request.Headers.TryAddWithoutValidation("Cookie", "name=caf\u00e9 \u2713");
        request.Headers.ExpectContinue = expectContinue;
        var utf8 = new SocketsHttpHandler { UseProxy = false, UseCookies = false, RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 };
        using var utf8Client = new HttpClient(utf8) { BaseAddress = server.BaseAddress };

        var headers = (await EchoAsync(utf8Client, request)).GetProperty("headers");

        Values(headers, "Cookie").Should().Equal("name=caf\u00e9 \u2713");
    }

    [Theory]
    [InlineData("Content-Length", false)]
    [InlineData("content-length, X-Other", false)]
    [InlineData("Transfer-Encoding", true)]
    public async Task Forward_ConnectionNamingTheBodysFraming_TheBodyStaysOneRequestAndNothingIsSmuggled(string connection, bool chunked)
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();

        // A body that is itself a request: if the framing header were dropped as connection-named, the
        // instance would read it as a second request, and its answer would wait on the pooled connection
        // for whoever came next.
        const string Smuggled = "GET /status/299?header=X-Poisoned:yes HTTP/1.1\r\nHost: x\r\n\r\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/{id}/echo/first", UriKind.Relative))
        {
            Content = new StringContent(Smuggled),
        };
        request.Headers.TryAddWithoutValidation("Connection", connection);
        request.Headers.TransferEncodingChunked = chunked;

        var echo = await EchoAsync(client, request);

        echo.GetProperty("bodyBytes").GetInt64().Should().Be(Smuggled.Length);
        for (var i = 0; i < 3; i++)
        {
            using var next = await client.GetAsync(new Uri($"/{id}/bytes/3", UriKind.Relative));
            next.StatusCode.Should().Be(HttpStatusCode.OK);
            next.Headers.Contains("X-Poisoned").Should().BeFalse();
            (await next.Content.ReadAsStringAsync()).Should().Be("abc");
        }
    }

    [Fact]
    public async Task Forward_MalformedChunkedBody_IsTheClientsFaultNotTheInstances()
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();
        await client.WhoAmIAsync(id);

        var answer = await RawHttp.SendAsync(server.Port,
            $"POST /{id}/echo/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0");

        RawHttp.StatusOf(answer).Should().Be(400);
        answer.Should().NotContain("upstream-error");
    }

    [Fact]
    public async Task Forward_EmptyPost_ArrivesAsAnEmptyBody()
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();

        var echo = await EchoAsync(client, new HttpRequestMessage(HttpMethod.Post, new Uri($"/{id}/echo/e", UriKind.Relative)));

        (echo.GetProperty("method").GetString(), echo.GetProperty("bodyBytes").GetInt64()).Should().Be(("POST", 0L));
    }

    [Fact]
    public async Task Forward_ChunkedBodyWithoutContentLength_ArrivesWhole()
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();
        var body = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/{id}/echo/c", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var echo = await EchoAsync(client, request);

        echo.GetProperty("bodyBytes").GetInt64().Should().Be(body.Length);
        echo.GetProperty("bodySha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(body)));
    }

    [Fact]
    public async Task Forward_TwoHundredMiBUpload_ArrivesWithTheSameSha256()
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();
        using var body = new PatternStream(200L * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/{id}/echo/big", UriKind.Relative))
        {
            Content = new StreamContent(body),
        };
        request.Content.Headers.ContentLength = body.Length;

        var echo = await EchoAsync(client, request);

        echo.GetProperty("bodyBytes").GetInt64().Should().Be(body.Length);
        echo.GetProperty("bodySha256").GetString().Should().Be(body.Sha256Hex());
    }

    [Fact]
    public async Task Forward_ExpectContinueRefusedByTheBackend_ClientGetsTheRefusalAndNo100()
    {
        var id = await NewInstanceAsync();
        using var client = server.CreateClient();
        await client.WhoAmIAsync(id);

        var head = await RawHttp.SendHeadAsync(server.Port,
            $"POST /{id}/status/417 HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\nExpect: 100-continue\r\nConnection: close");

        RawHttp.StatusOf(head).Should().Be(417, "the backend's early refusal reaches the client, and no 100 Continue is sent on its behalf");
    }

    private Task<string> NewInstanceAsync() => server.SharedInstanceAsync();

    private static Task<JsonElement> EchoAsync(HttpClient client, HttpMethod method, Uri uri) =>
        EchoAsync(client, new HttpRequestMessage(method, uri));

    private static async Task<JsonElement> EchoAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.OK, body);
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    private static async Task<double> YarpForwardedAsync(HttpClient client) =>
        PrometheusText.Sample(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), "skia_pool_proxy_requests_total", "forwarder=\"yarp\"") ?? 0;

    private static string[] Values(JsonElement headers, string name) =>
        [.. headers.EnumerateObject().Single(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.EnumerateArray().Select(v => v.GetString()!)];
}
