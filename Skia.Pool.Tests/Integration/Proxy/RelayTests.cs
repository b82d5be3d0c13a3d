using System.Net;
using System.Security.Cryptography;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Proxy;

/// <summary>
/// The three forwarders side by side: the front (plain GETs to a running instance, straight off the
/// connection), the service's own relay (<c>Pool:Front=false</c>: plain HTTP/1.1 requests through Kestrel)
/// and YARP (<c>Pool:Relay=false</c>). Bodies of every size and framing arrive whole on one keep-alive
/// connection, a pooled connection the instance closed is never a failure, and the metrics say which
/// forwarder carried each request, so one that silently hands everything to another is caught.
/// </summary>
public sealed class RelayTests
{
    // Around the relay's 64 KiB read buffer (the head, about 136 bytes, takes part of the first read), and
    // beyond its 1 MiB large buffer, which a body takes after one read filled the ordinary one.
    private static readonly long[] Sizes = [0, 1, 16_384, 65_399, 65_400, 65_401, 65_536, 65_537, 200_000, 1_048_583, 3_145_739, 8_388_608];

    [Theory]
    [InlineData("front", false)]
    [InlineData("front", true)]
    [InlineData("relay", false)]
    [InlineData("relay", true)]
    [InlineData("yarp", false)]
    [InlineData("yarp", true)]
    public async Task Download_BodiesOfEverySizeOnOneConnection_ArriveWholeThroughTheConfiguredForwarder(string forwarder, bool chunked)
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string>
        {
            ["Pool__Front"] = forwarder == "front" ? "true" : "false",
            ["Pool__Relay"] = forwarder == "yarp" ? "false" : "true",
        });
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        foreach (var size in Sizes)
        {
            // A body short of its announced length leaves the client waiting: fail, do not hang.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var path = $"/{id}/bytes/{size}" + (chunked ? "?chunked=true" : "");
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);

            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
            if (chunked && size > 0)
            {
                response.Headers.TransferEncodingChunked.Should().BeTrue(path);
            }
            else
            {
                response.Content.Headers.ContentLength.Should().Be(size, path);
            }

            Convert.ToHexString(SHA256.HashData(body)).Should().Be(PatternSha256(size), path);
        }

        // With the front on, the first request (which starts the instance) is the pipeline's: the relay carries it.
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        PrometheusText.Sample(metrics, "skia_pool_proxy_requests_total", "forwarder=\"front\"").Should().Be(forwarder == "front" ? Sizes.Length - 1 : null);
        PrometheusText.Sample(metrics, "skia_pool_proxy_requests_total", "forwarder=\"relay\"").Should().Be(forwarder switch
        {
            "front" => 1,
            "relay" => Sizes.Length,
            _ => null,
        });
        PrometheusText.Sample(metrics, "skia_pool_proxy_requests_total", "forwarder=\"yarp\"").Should().Be(forwarder == "yarp" ? Sizes.Length : null);
        metrics.Should().NotContain("skia_pool_proxy_errors_total");
    }

    [Fact]
    public async Task PooledConnection_ClosedByTheInstanceWhileIdle_NextRequestsAreAnsweredByTheSameProcess()
    {
        // The instance closes a connection idle for 100 ms (at its next 1 s heartbeat): the pauses below
        // land before, around and after that, so requests meet both a connection the relay can see is
        // closed and one whose close is still on its way.
        await using var server = await PoolServer.StartAsync(FakeServeArguments.With("--keep-alive-ms", "100"));
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var pid = await client.WhoAmIAsync(id);

        foreach (var pause in new[] { 250, 500, 900, 1100, 1300, 2100 })
        {
            await Task.Delay(pause);
            (await client.WhoAmIAsync(id)).Should().Be(pid, $"after a pause of {pause} ms");
        }

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        metrics.Should().NotContain("skia_pool_proxy_errors_total");
        PrometheusText.Sample(metrics, "skia_pool_proxy_requests_total", "forwarder=\"relay\"").Should().Be(1); // the start
        PrometheusText.Sample(metrics, "skia_pool_proxy_requests_total", "forwarder=\"front\"").Should().Be(6);
    }

    // FakeServe's /bytes/{n}: the alphabet over and over.
    private static string PatternSha256(long length)
    {
        var body = new byte[length];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        return Convert.ToHexString(SHA256.HashData(body));
    }
}
