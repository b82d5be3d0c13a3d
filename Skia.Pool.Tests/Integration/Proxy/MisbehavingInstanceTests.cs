using System.Net;
using System.Text.Json;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Proxy;

/// <summary>
/// Instances that send what no well-behaved server sends (FakeServe's <c>--raw-http</c> answers), through
/// both forwarders: whatever one answer does wrong, the client gets a clean answer or an aborted one,
/// never bytes of another, and the next request on the same connection gets its own answer.
/// </summary>
public sealed class MisbehavingInstanceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BytesAfterACompleteAnswer_AreNeverTheNextRequestsAnswer(bool relay)
    {
        await using var server = await StartAsync(relay);
        using var client = OneConnectionClient(server);
        var id = await client.CreateInstanceAsync();

        (await client.GetStringAsync(new Uri($"/{id}/raw/extra", UriKind.Relative))).Should().Be("hello");
        // The instance sends its unasked answer 50 ms after the first; the relay's poll before reuse must
        // have it by then. Bytes arriving after the poll are the known limit in docs/proxy.md, which a full
        // test run on two busy cores once reached with a 200 ms pause here: this one leaves a wide margin.
        await Task.Delay(1000);

        using var next = await client.GetAsync(new Uri($"/{id}/raw/ok", UriKind.Relative));
        next.StatusCode.Should().Be(HttpStatusCode.OK);
        next.Headers.Contains("X-Unasked").Should().BeFalse();
        (await next.Content.ReadAsStringAsync()).Should().Be("ok");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task InstanceClosesAfterAnsweringWithoutSayingSo_AnUploadAfterwardsStillArrives(bool relay)
    {
        await using var server = await StartAsync(relay);
        using var client = OneConnectionClient(server);
        var id = await client.CreateInstanceAsync();

        (await client.GetStringAsync(new Uri($"/{id}/raw/close-after", UriKind.Relative))).Should().Be("ok");
        await Task.Delay(300); // the close has reached the service by now

        using var upload = await client.PostAsync(new Uri($"/{id}/raw/ok", UriKind.Relative), new StringContent("a body that cannot be sent twice"));
        upload.StatusCode.Should().Be(HttpStatusCode.OK);
        (await upload.Content.ReadAsStringAsync()).Should().Be("ok");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ResetContentWithABody_ReachesTheClientBodilessAndNothingIsInjected(bool relay)
    {
        await using var server = await StartAsync(relay);
        using var client = OneConnectionClient(server);
        var id = await client.CreateInstanceAsync();

        using (var reset = await client.GetAsync(new Uri($"/{id}/raw/205-with-body", UriKind.Relative)))
        {
            reset.StatusCode.Should().Be(HttpStatusCode.ResetContent);
            (await reset.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        }

        using var next = await client.GetAsync(new Uri($"/{id}/raw/ok", UriKind.Relative));
        next.Headers.Contains("X-Injected").Should().BeFalse();
        (await next.Content.ReadAsStringAsync()).Should().Be("ok");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NoContentAnnouncingALength_IsPassedOnAsNoContent(bool relay)
    {
        await using var server = await StartAsync(relay);
        using var client = OneConnectionClient(server);
        var id = await client.CreateInstanceAsync();

        using var answer = await client.GetAsync(new Uri($"/{id}/raw/204-with-length", UriKind.Relative));

        answer.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetStringAsync(new Uri($"/{id}/raw/ok", UriKind.Relative))).Should().Be("ok");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BrokenChunks_GetAProblemOrAnAbortNeverPartOfTheBody(bool relay)
    {
        await using var server = await StartAsync(relay);
        using var client = OneConnectionClient(server);
        var id = await client.CreateInstanceAsync();

        var read = async () =>
        {
            using var response = await client.GetAsync(new Uri($"/{id}/raw/bad-chunk", UriKind.Relative));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        };

        // The relay has written the first chunk by the time the break shows (it cannot be taken back, so
        // only an abort is honest); YARP has not, and answers with a clean problem.
        if (relay)
        {
            await read.Should().ThrowAsync<Exception>().Where(e => e is HttpRequestException || e is IOException);
        }
        else
        {
            var (status, body) = await read();
            status.Should().Be(HttpStatusCode.BadGateway);
            JsonDocument.Parse(body).RootElement.GetProperty("type").GetString().Should().Be("urn:skia-pool:problem:upstream-error");
        }

        (await client.GetStringAsync(new Uri($"/{id}/raw/ok", UriKind.Relative))).Should().Be("ok");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HeadThenNothing_Answers502ProblemWithNoneOfTheInstancesHeaders(bool relay)
    {
        await using var server = await StartAsync(relay);
        using var client = OneConnectionClient(server);
        var id = await client.CreateInstanceAsync();

        using var answer = await client.GetAsync(new Uri($"/{id}/raw/head-then-close", UriKind.Relative));

        await answer.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "urn:skia-pool:problem:upstream-error");
        answer.Headers.Contains("X-From-Instance").Should().BeFalse();
        answer.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UnusualReasonPhrase_ReachesTheClientAsSent(bool relay)
    {
        await using var server = await StartAsync(relay);
        using var client = OneConnectionClient(server);
        var id = await client.CreateInstanceAsync();

        using var answer = await client.GetAsync(new Uri($"/{id}/raw/reason", UriKind.Relative));
        using var next = await client.GetAsync(new Uri($"/{id}/raw/ok", UriKind.Relative));

        answer.ReasonPhrase.Should().Be("Fine Thanks");
        next.ReasonPhrase.Should().Be("OK");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HeaderWithAnEmptyValue_IsPassedOnEmpty(bool relay)
    {
        await using var server = await StartAsync(relay);
        using var client = OneConnectionClient(server);
        var id = await client.CreateInstanceAsync();

        using var answer = await client.GetAsync(new Uri($"/{id}/raw/empty-header", UriKind.Relative));

        answer.Headers.GetValues("X-Empty").Should().Equal("");
        answer.Headers.GetValues("X-Spaces").Should().Equal("");
    }

    [Fact]
    public async Task HeadWithBareLineFeeds_Answers502ProblemWithoutWaitingForARestThatNeverComes()
    {
        // Its end is a bare empty line, so a reader looking for CRLF CRLF waited for the activity timeout
        // (10 min) while the instance kept the connection open. The relay and the front refuse it as soon as
        // the bare LF arrives; YARP's HttpClient reads such heads leniently, so it is not asked here.
        await using var server = await StartAsync(relay: true);
        using var client = OneConnectionClient(server);
        var id = await client.CreateInstanceAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a bound on a hang, not a time limit

        using var answer = await client.GetAsync(new Uri($"/{id}/raw/bare-lf", UriKind.Relative), bound.Token);
        using var next = await client.GetAsync(new Uri($"/{id}/raw/ok", UriKind.Relative), bound.Token);

        await answer.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "urn:skia-pool:problem:upstream-error");
        (await next.Content.ReadAsStringAsync(bound.Token)).Should().Be("ok", "the client's connection goes on");
    }

    [Fact]
    public async Task MalformedHeadWhileTheUploadIsUnread_TheRelayAnswersItsOwn502ProblemAtOnce()
    {
        // The relay only: YARP's HttpClient keeps sending the upload and answers when its activity timeout
        // (10 min) ends the exchange, a known limit (docs/proxy.md). Raw bytes, since HttpClient reports the
        // broken pipe of its unfinished upload instead of the answer that came before it.
        await using var server = await StartAsync(relay: true);
        using var creator = server.CreateClient();
        var id = await creator.CreateInstanceAsync();
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port);
        var stream = client.GetStream();
        const long UploadBytes = 256L * 1024 * 1024; // far more than the sockets' buffers hold
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"POST /{id}/raw/bad-head HTTP/1.1\r\nHost: x\r\nContent-Length: {UploadBytes}\r\n\r\n"));
        using var stop = new CancellationTokenSource();
        var uploading = Task.Run(async () =>
        {
            var block = new byte[64 * 1024];
            try
            {
                for (long sent = 0; sent < UploadBytes; sent += block.Length)
                {
                    await stream.WriteAsync(block, stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The service stops reading once it has answered.
            }
        });

        // Not a time limit on the answer: a bound on the wait, so that a hang fails instead of blocking the run.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var head = await RawHttp.ReadHeadAsync(stream, bound.Token);
        await stop.CancelAsync();
        client.Close();
        await uploading;

        RawHttp.StatusOf(head).Should().Be(502, head);
        head.Should().ContainEquivalentOf("Content-Type: application/problem+json");
        head.Should().ContainEquivalentOf("X-Content-Type-Options: nosniff", "the problem is the service's own answer");
        head.Should().NotContainEquivalentOf("Bad Header");
    }

    private static Task<PoolServer> StartAsync(bool relay) =>
        PoolServer.StartAsync(FakeServeArguments.With("--raw-http").And("Pool__Relay", relay ? "true" : "false"));

    // One connection to the service, so a second request meets whatever the first one left on it.
    private static HttpClient OneConnectionClient(PoolServer server) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false, MaxConnectionsPerServer = 1 })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{server.Port}"),
        };
}
