using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Security;

/// <summary>Browsers' cross-site POSTs are refused; same-origin forms and clients that are not browsers are not.</summary>
public sealed class CrossSiteTests(PoolServer server) : IClassFixture<PoolServer>
{
    private static HttpRequestMessage Post(string path, string? fetchSite = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative));
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    [Theory]
    [InlineData("cross-site", null)]
    [InlineData("same-site", null)]
    [InlineData(null, "https://evil.example")]
    [InlineData(null, "null")]
    public async Task InstanceNew_CrossSiteBrowserPost_Answers403ProblemWithoutALocation(string? fetchSite, string? origin)
    {
        using var client = server.CreateClient();

        using var response = await client.SendAsync(Post("/instanceNew", fetchSite, origin));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "urn:skia-pool:problem:cross-site-request");
        response.Headers.Location.Should().BeNull();
    }

    [Theory]
    [InlineData("same-origin", null)]
    [InlineData(null, "own")]
    [InlineData(null, null)]
    public async Task InstanceNew_SameOriginFormOrNonBrowserClient_Answers303(string? fetchSite, string? origin)
    {
        using var client = server.CreateClient();

        using var response = await client.SendAsync(Post("/instanceNew", fetchSite, origin == "own" ? $"http://127.0.0.1:{server.Port}" : origin));

        response.StatusCode.Should().Be(HttpStatusCode.SeeOther);
    }

    [Fact]
    public async Task RestartThroughStatus_CrossSite_Answers403AndLeavesTheProcessRunning()
    {
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var pid = await client.WhoAmIAsync(id);

        using var response = await client.SendAsync(Post($"/{id}/instanceStatus", "cross-site"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "urn:skia-pool:problem:cross-site-request");
        (await client.WhoAmIAsync(id)).Should().Be(pid);
    }

    [Fact]
    public async Task AdminStop_CrossSite_Answers403AndLeavesTheProcessRunning()
    {
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        var pid = await client.WhoAmIAsync(id);
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri($"/instances/{id}", UriKind.Relative));
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        using var response = await client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "urn:skia-pool:problem:cross-site-request");
        MarkedProcesses.IsAlive(pid).Should().BeTrue();
    }
}
