using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Security;

/// <summary>An id is a credential: after a whole flow, neither the service's output nor its metrics contain one in full.</summary>
public sealed class IdLeakTests
{
    [Fact]
    public async Task OutputAndMetrics_AfterCreateUseUploadRestartStopAndErrors_NeverContainTheFullId()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        await client.WhoAmIAsync(id);
        (await client.UploadAsync(id, [1, 2, 3], "x.skp")).Dispose();

        (await client.GetAsync(new Uri($"/{id}/instanceStatus", UriKind.Relative))).Dispose();
        (await client.PostAsync(new Uri($"/{id}/instanceStatus", UriKind.Relative), null)).Dispose();
        try
        {
            (await client.GetAsync(new Uri($"/{id}/crash-mid-response", UriKind.Relative))).Dispose();
        }
        catch (HttpRequestException)
        {
            // Expected: the instance dies mid-answer and the proxy aborts the response.
        }

        (await client.GetAsync(new Uri($"/{id}/no-such-page", UriKind.Relative))).Dispose();
        (await client.GetAsync(new Uri($"/instances/{id}", UriKind.Relative))).Dispose();
        (await client.DeleteAsync(new Uri($"/instances/{id}", UriKind.Relative))).Dispose();
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        await server.StopAsync(TimeSpan.FromSeconds(30));

        server.Output.Should().Contain(id[..8], "instances are logged by their short id");
        server.Output.Should().NotContain(id);
        server.Output.Should().NotContain(id.Replace("-", "", StringComparison.Ordinal));
        metrics.Should().NotContain(id).And.NotContain(id[..8]);
    }
}
