using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Proxy;

/// <summary>
/// The front (docs/proxy.md): on one keep-alive connection, as a browser uses it, the requests it takes
/// (plain GETs to a running instance) and those it lends to Kestrel (the service's routes, an instance's
/// start, anything unusual) interleave, each answered by the right party, in order; one with a body hands
/// Kestrel the rest of the connection. Every answer is checked, and the metrics say who carried what.
/// </summary>
public sealed class FrontTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OneConnection_AsABrowserUsesIt_EveryRequestGetsItsOwnAnswerInOrder()
    {
        await using var server = await PoolServer.StartAsync();
        using var raw = await RawClient.ConnectAsync(server);

        var landing = await raw.ExchangeAsync("GET / HTTP/1.1\r\nHost: pool\r\n\r\n");
        var created = await raw.ExchangeAsync("POST /instanceNew HTTP/1.1\r\nHost: pool\r\nContent-Length: 0\r\n\r\n");
        var prefix = HeaderOf(created.Head, "Location").TrimEnd('/');
        var started = await raw.ExchangeAsync($"GET {prefix}/whoami HTTP/1.1\r\nHost: pool\r\n\r\n");
        var taken = await raw.ExchangeAsync($"GET {prefix}/bytes/10 HTTP/1.1\r\nHost: pool\r\n\r\n");
        var status = await raw.ExchangeAsync($"GET {prefix}/instanceStatus HTTP/1.1\r\nHost: pool\r\n\r\n");
        var dotted = await raw.ExchangeAsync($"GET {prefix}/a/../bytes/3 HTTP/1.1\r\nHost: pool\r\n\r\n");
        var chunked = await raw.ExchangeAsync($"GET {prefix}/bytes/5?chunked=true HTTP/1.1\r\nHost: pool\r\n\r\n");
        var upload = await raw.ExchangeAsync($"POST {prefix}/echo/x HTTP/1.1\r\nHost: pool\r\nContent-Length: 5\r\n\r\nhello");
        var afterUpload = await raw.ExchangeAsync($"GET {prefix}/bytes/7 HTTP/1.1\r\nHost: pool\r\n\r\n");

        RawHttp.StatusOf(landing.Head).Should().Be(200);
        landing.Body.Should().Contain("<html");
        RawHttp.StatusOf(created.Head).Should().Be(303);
        RawHttp.StatusOf(started.Head).Should().Be(200);
        RawHttp.StatusOf(taken.Head).Should().Be(200);
        taken.Body.Should().Be("abcdefghij");
        JsonDocument.Parse(status.Body).RootElement.GetProperty("state").GetString().Should().Be("running", "the service's own route, not the instance's");
        RawHttp.StatusOf(dotted.Head).Should().Be(400, "the dot-segment guard still answers: {0}", dotted.Body);
        dotted.Body.Should().Contain("urn:skia-pool:problem:bad-request");
        chunked.Head.Should().Contain("Transfer-Encoding: chunked");
        chunked.Body.Should().Be("abcde");
        JsonDocument.Parse(upload.Body).RootElement.GetProperty("bodyBytes").GetInt32().Should().Be(5);
        afterUpload.Body.Should().Be("abcdefg");
        var metrics = await MetricsAsync(server);
        PrometheusText.Sample(metrics, "skia_pool_proxy_requests_total", "forwarder=\"front\"").Should().Be(2, "bytes/10 and bytes/5 (after the upload, Kestrel has the connection)");
        PrometheusText.Sample(metrics, "skia_pool_proxy_requests_total", "forwarder=\"relay\"").Should().Be(3, "the start, the upload and the GET after it");
    }

    [Fact]
    public async Task PipelinedRequests_TakenAndLentAlike_AreAnsweredInTheOrderSent()
    {
        await using var server = await PoolServer.StartAsync();
        var id = await RunningInstanceAsync(server);
        using var raw = await RawClient.ConnectAsync(server);

        await raw.Stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /{id}/bytes/1 HTTP/1.1\r\nHost: pool\r\n\r\n" +
            $"GET /{id}/instanceStatus HTTP/1.1\r\nHost: pool\r\n\r\n" +
            $"GET /{id}/bytes/2 HTTP/1.1\r\nHost: pool\r\n\r\n" +
            "GET /healthz HTTP/1.1\r\nHost: pool\r\n\r\n" +
            $"GET /{id}/bytes/3 HTTP/1.1\r\nHost: pool\r\n\r\n"), raw.Token);
        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await RawHttp.ReadAnswerAsync(raw.Stream, raw.Token)).Body);
        }

        answers[0].Should().Be("a");
        answers[1].Should().Contain("\"state\":\"running\"");
        answers[2].Should().Be("ab");
        answers[3].TrimEnd().Should().Be("ok");
        answers[4].Should().Be("abc");
        PrometheusText.Sample(await MetricsAsync(server), "skia_pool_proxy_requests_total", "forwarder=\"front\"").Should().Be(3);
    }

    [Theory]
    [InlineData("bytes/4")]
    [InlineData("instanceStatus")]
    public async Task ConnectionClose_TheAnswerSaysSoAndTheConnectionEndsCleanly(string path)
    {
        await using var server = await PoolServer.StartAsync();
        var id = await RunningInstanceAsync(server);
        using var raw = await RawClient.ConnectAsync(server);

        var answer = await raw.ExchangeAsync($"GET /{id}/{path} HTTP/1.1\r\nHost: pool\r\nConnection: close\r\n\r\n");
        var after = await raw.Stream.ReadAsync(new byte[1], raw.Token); // not a reset: a clean end

        RawHttp.StatusOf(answer.Head).Should().Be(200);
        HeaderOf(answer.Head, "Connection").Should().Be("close");
        after.Should().Be(0);
    }

    [Fact]
    public async Task TakenRequest_ReachesTheInstanceWithThePrefixStrippedAndTheServicesForwardingHeaders()
    {
        await using var server = await PoolServer.StartAsync();
        using var http = server.CreateClient();
        var id = await http.CreateInstanceAsync();
        var port = (await http.GetJsonAsync($"/{id}/whoami")).GetProperty("port").GetInt32();
        using var raw = await RawClient.ConnectAsync(server);

        var echo = await ExchangeAsync(raw.Stream,
            $"GET /{id.ToUpperInvariant()}/echo/a/b?x=%2F&y HTTP/1.1\r\nHost: pool.example:8080\r\nX-Forwarded-For: 6.6.6.6\r\n" +
            "Forwarded: for=6.6.6.6\r\nKeep-Alive: timeout=5\r\nX-Custom:  kept as sent \r\nCookie: a=1\r\nCookie: b=2\r\n\r\n", raw.Token);

        var seen = JsonDocument.Parse(echo.Body).RootElement;
        seen.GetProperty("rawTarget").GetString().Should().Be("/echo/a/b?x=%2F&y");
        var headers = seen.GetProperty("headers");
        headers.GetProperty("Host")[0].GetString().Should().Be($"127.0.0.1:{port}");
        headers.GetProperty("X-Forwarded-For")[0].GetString().Should().Be("127.0.0.1", "a client's own claim is replaced");
        headers.GetProperty("X-Forwarded-Proto")[0].GetString().Should().Be("http");
        headers.GetProperty("X-Forwarded-Host")[0].GetString().Should().Be("pool.example:8080");
        headers.GetProperty("X-Forwarded-Prefix")[0].GetString().Should().Be($"/{id.ToUpperInvariant()}", "the prefix as the client spelled it, as the other paths send it");
        headers.GetProperty("X-Custom")[0].GetString().Should().Be("kept as sent");
        headers.TryGetProperty("Forwarded", out _).Should().BeFalse();
        headers.TryGetProperty("Keep-Alive", out _).Should().BeFalse("hop-by-hop");
        PrometheusText.Sample(await MetricsAsync(server), "skia_pool_proxy_requests_total", "forwarder=\"front\"").Should().Be(1);
    }

    [Fact]
    public async Task InstanceAnswersWithGarbage_TheClientGetsTheServicesProblemAndKeepsItsConnection()
    {
        await using var server = await PoolServer.StartAsync(FakeServeArguments.With("--raw-http"));
        using var http = server.CreateClient();
        var id = await http.CreateInstanceAsync();
        (await http.GetStringAsync(new Uri($"/{id}/raw/ok", UriKind.Relative))).Should().Be("ok");
        using var raw = await RawClient.ConnectAsync(server);

        var bad = await raw.ExchangeAsync($"GET /{id}/raw/bad-head HTTP/1.1\r\nHost: pool\r\n\r\n");
        var next = await raw.ExchangeAsync($"GET /{id}/raw/ok HTTP/1.1\r\nHost: pool\r\n\r\n");

        RawHttp.StatusOf(bad.Head).Should().Be(502);
        HeaderOf(bad.Head, "Content-Type").Should().Be("application/problem+json");
        HeaderOf(bad.Head, "X-Content-Type-Options").Should().Be("nosniff", "the service's own answer carries its headers");
        var problem = JsonDocument.Parse(bad.Body).RootElement;
        problem.GetProperty("type").GetString().Should().Be("urn:skia-pool:problem:upstream-error");
        problem.GetProperty("status").GetInt32().Should().Be(502);
        next.Body.Should().Be("ok");
        PrometheusText.Sample(await MetricsAsync(server), "skia_pool_proxy_requests_total", "forwarder=\"front\"").Should().Be(2);
    }

    [Fact]
    public async Task LentThenTakenForLongerThanKestrelsKeepAlive_TheConnectionLivesAndLendsAgain()
    {
        // Kestrel's loan ends on its keep-alive timeout while the front goes on serving the connection; its
        // leftover drain timeout (MinResponseDataRate's 5 s grace after the keep-alive) once reset the client's
        // connection then. Requests every 250 ms leave the front's own keep-alive (3 s) a wide margin.
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__KeepAliveTimeout"] = "00:00:03" });
        var id = await RunningInstanceAsync(server);
        using var raw = await RawClient.ConnectAsync(server);

        var lent = await raw.ExchangeAsync("GET /healthz HTTP/1.1\r\nHost: pool\r\n\r\n");
        var taken = new List<string>();
        for (var i = 0; i < 56; i++) // 14 s: keep-alive (3 s) and grace (5 s), each up to a heartbeat late, and room to spare
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), raw.Token);
            taken.Add((await raw.ExchangeAsync($"GET /{id}/bytes/3 HTTP/1.1\r\nHost: pool\r\n\r\n")).Body);
        }

        var lentAgain = await raw.ExchangeAsync($"GET /{id}/instanceStatus HTTP/1.1\r\nHost: pool\r\n\r\n");

        lent.Body.TrimEnd().Should().Be("ok");
        taken.Should().HaveCount(56).And.AllBe("abc");
        JsonDocument.Parse(lentAgain.Body).RootElement.GetProperty("state").GetString().Should().Be("running", "a new loan serves it");
        PrometheusText.Sample(await MetricsAsync(server), "skia_pool_proxy_requests_total", "forwarder=\"front\"").Should().Be(56);
    }

    [Fact]
    public async Task HeadToAnInstanceThatFails_GetsTheProblemsHeadWithoutItsBody()
    {
        // A body after the head of a HEAD answer would be read as the next answer by a client that pipelines.
        await using var server = await PoolServer.StartAsync();
        var id = await RunningInstanceAsync(server);
        using var raw = await RawClient.ConnectAsync(server);

        await raw.Stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"HEAD /{id}/drop HTTP/1.1\r\nHost: pool\r\n\r\nGET /{id}/bytes/2 HTTP/1.1\r\nHost: pool\r\n\r\n"), raw.Token);
        var failed = await RawHttp.ReadHeadAsync(raw.Stream, raw.Token);
        var next = await RawHttp.ReadAnswerAsync(raw.Stream, raw.Token);

        RawHttp.StatusOf(failed).Should().Be(502);
        int.Parse(HeaderOf(failed, "Content-Length"), System.Globalization.CultureInfo.InvariantCulture).Should().BePositive("the length a GET's problem would have");
        next.Head.Should().StartWith("HTTP/1.1 200", "the next answer follows the head directly");
        next.Body.Should().Be("ab");
    }

    [Fact]
    public async Task ResetContent_IsSentWithAZeroLength()
    {
        // 205 has no content, but its status alone does not end it (RFC 9112 6.3): a client reads to the close.
        await using var server = await PoolServer.StartAsync();
        var id = await RunningInstanceAsync(server);
        using var raw = await RawClient.ConnectAsync(server);

        var reset = await raw.ExchangeAsync($"GET /{id}/status/205 HTTP/1.1\r\nHost: pool\r\n\r\n");
        var next = await raw.ExchangeAsync($"GET /{id}/bytes/1 HTTP/1.1\r\nHost: pool\r\n\r\n");

        RawHttp.StatusOf(reset.Head).Should().Be(205);
        HeaderOf(reset.Head, "Content-Length").Should().Be("0");
        next.Body.Should().Be("a");
        PrometheusText.Sample(await MetricsAsync(server), "skia_pool_proxy_requests_total", "forwarder=\"front\"").Should().Be(2);
    }

    [Fact]
    public async Task FrontOff_EveryRequestGoesThroughThePipeline()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__Front"] = "false" });
        var id = await RunningInstanceAsync(server);
        using var raw = await RawClient.ConnectAsync(server);

        var answer = await raw.ExchangeAsync($"GET /{id}/bytes/2 HTTP/1.1\r\nHost: pool\r\n\r\n");

        answer.Body.Should().Be("ab");
        var metrics = await MetricsAsync(server);
        PrometheusText.Sample(metrics, "skia_pool_proxy_requests_total", "forwarder=\"front\"").Should().BeNull();
        PrometheusText.Sample(metrics, "skia_pool_proxy_requests_total", "forwarder=\"relay\"").Should().Be(2);
    }

    /// <summary>An instance started by a request of its own, so that the next request to it on any connection is one the front takes.</summary>
    private static async Task<string> RunningInstanceAsync(PoolServer server)
    {
        using var http = server.CreateClient();
        var id = await http.CreateInstanceAsync();
        await http.WhoAmIAsync(id);
        return id;
    }


    private static async Task<(string Head, string Body)> ExchangeAsync(NetworkStream stream, string request, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        var answer = await RawHttp.ReadAnswerAsync(stream, cancellationToken);
        answer.Head.Should().NotBeEmpty("an answer to: {0}", request);
        return answer;
    }

    private static string HeaderOf(string head, string name) =>
        head.Split("\r\n").Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(line => line[(name.Length + 1)..].Trim()).SingleOrDefault() ?? "";

    private static async Task<string> MetricsAsync(PoolServer server)
    {
        using var http = server.CreateClient();
        return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    /// <summary>One raw connection to the service, with a bound on every wait on it (a hang fails the test).</summary>
    private sealed class RawClient : IDisposable
    {
        private readonly TcpClient _client = new();
        private readonly CancellationTokenSource _bound = new(Limit);

        public NetworkStream Stream => _client.GetStream();

        public CancellationToken Token => _bound.Token;

        public static async Task<RawClient> ConnectAsync(PoolServer server)
        {
            var raw = new RawClient();
            await raw._client.ConnectAsync("127.0.0.1", server.Port, raw.Token);
            return raw;
        }

        public Task<(string Head, string Body)> ExchangeAsync(string request) => FrontTests.ExchangeAsync(Stream, request, Token);

        public void Dispose()
        {
            _client.Dispose();
            _bound.Dispose();
        }
    }
}
