using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Operations;

/// <summary>/metrics after real flows: each test owns its server, so every counter starts at zero.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterCreateGetRestart_ShowTwoStartsOneRestartStopAndOneRunning()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        (await client.WhoAmIAsync(id)).Should().BePositive();
        using (var restart = await client.PostAsync(new Uri($"/{id}/instanceStatus", UriKind.Relative), null))
        {
            restart.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        }

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        PrometheusText.Sample(metrics, "skia_pool_instance_starts_total", "outcome=\"started\"").Should().Be(2);
        PrometheusText.Sample(metrics, "skia_pool_instance_start_duration_seconds_count", "outcome=\"started\"").Should().Be(2);
        PrometheusText.Sample(metrics, "skia_pool_instance_start_phase_duration_seconds_count", "phase=\"launch\"").Should().Be(2);
        PrometheusText.Sample(metrics, "skia_pool_instance_start_phase_duration_seconds_count", "phase=\"readiness\"").Should().Be(2);
        PrometheusText.Sample(metrics, "skia_pool_instance_stops_total", "reason=\"restart\"").Should().Be(1);
        PrometheusText.Sample(metrics, "skia_pool_instances", "state=\"running\"").Should().Be(1);
        PrometheusText.Sample(metrics, "skia_pool_instances", "state=\"starting\"").Should().Be(0);
        PrometheusText.Sample(metrics, "skia_pool_instances", "state=\"stopping\"").Should().Be(0);
        PrometheusText.Sample(metrics, "skia_pool_free_slots").Should().Be(19);
        metrics.Should().NotContain("skia_pool_proxy_errors_total");
    }

    [Fact]
    public async Task Metrics_InstanceQuits_CountAnExitStopAndFreeTheSlot()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        await client.WhoAmIAsync(id);
        using (await client.GetAsync(new Uri($"/{id}/quitquitquit", UriKind.Relative)))
        {
        }

        await Eventually.TrueAsync(async () =>
            PrometheusText.Sample(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
                "skia_pool_instance_stops_total", "reason=\"exit\"") == 1);
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        PrometheusText.Sample(metrics, "skia_pool_instance_starts_total", "outcome=\"started\"").Should().Be(1);
        PrometheusText.Sample(metrics, "skia_pool_instances", "state=\"running\"").Should().Be(0);
        PrometheusText.Sample(metrics, "skia_pool_free_slots").Should().Be(20);
    }

    [Fact]
    public async Task Metrics_StartOfMissingCommand_CountFailedStartAndStartFailedProxyError()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__Command"] = "/nonexistent/skiaserve" });
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        using (var page = await client.GetAsync(new Uri($"/{id}/", UriKind.Relative)))
        {
            page.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        }

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        PrometheusText.Sample(metrics, "skia_pool_instance_starts_total", "outcome=\"failed\"").Should().Be(1);
        PrometheusText.Sample(metrics, "skia_pool_instance_starts_total", "outcome=\"started\"").Should().BeNull();
        PrometheusText.Sample(metrics, "skia_pool_proxy_errors_total", "kind=\"start-failed\"").Should().Be(1);
    }

    [Fact]
    public async Task Metrics_AfterAdminStop_CountAnAdminStopAndNoRunningInstance()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        await client.WhoAmIAsync(id);
        (await client.DeleteAsync(new Uri($"/instances/{id}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        PrometheusText.Sample(metrics, "skia_pool_instance_stops_total", "reason=\"admin\"").Should().Be(1);
        PrometheusText.Sample(metrics, "skia_pool_instances", "state=\"running\"").Should().Be(0);
        PrometheusText.Sample(metrics, "skia_pool_free_slots").Should().Be(20);
    }

    [Fact]
    public async Task Metrics_ByDefault_CarryNoPerRequestHttpMetrics()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        await client.WhoAmIAsync(id);

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        metrics.Should().Contain("skia_pool_instance_starts_total");
        metrics.Should().NotContain("http_server_request_duration_seconds");
        metrics.Should().NotContain("http_client_request_duration_seconds");
    }

    [Fact]
    public async Task Metrics_WithHttpMetrics_CountRequestsByRouteTemplateWithNoLabelAClientChooses()
    {
        // YARP's path, so that forwarded requests go through HttpClient (the relay and the probe do not).
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__HttpMetrics"] = "true", ["Pool__Relay"] = "false" });
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        await client.WhoAmIAsync(id);
        foreach (var host in new[] { "attacker-1.example", "attacker-2.example" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/{id}/", UriKind.Relative));
            request.Headers.Host = host;
            (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        PrometheusText.Sample(metrics, "http_server_request_duration_seconds_count", "http_route=\"/instanceNew\"").Should().Be(1);
        metrics.Should().Contain("http_route=\"/{id}/{**path}\"");
        metrics.Should().Contain("http_client_request_duration_seconds_count");
        metrics.Should().NotContain("attacker-", "a label taken from the client's Host header would let any client mint series");
        metrics.Should().NotContain(id);
    }
}
