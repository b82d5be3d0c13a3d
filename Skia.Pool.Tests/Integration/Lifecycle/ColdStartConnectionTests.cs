using System.Net;
using System.Text.Json;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Lifecycle;

/// <summary>
/// A cold start asks the instance over one connection: refused connects while it boots are never
/// accepted, and the connection the readiness probe was answered on carries the first forwarded request,
/// so an instance that has only just booted is not made to accept a second one (docs/BENCHMARKS.md).
/// </summary>
public sealed class ColdStartConnectionTests
{
    [Fact]
    public async Task FirstRequest_ThroughTheRelay_ReusesTheReadinessProbesConnection()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        using var first = await client.GetAsync(new Uri($"/{id}/connections", UriKind.Relative));
        var second = await client.GetStringAsync(new Uri($"/{id}/connections", UriKind.Relative));

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        Accepted(await first.Content.ReadAsStringAsync()).Should().Be(1, "the probe's connection is the only one the instance accepted");
        Accepted(second).Should().Be(1, "the first request's connection went back to the pool");
    }

    private static long Accepted(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("accepted").GetInt64();
    }
}
