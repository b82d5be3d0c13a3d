using System.Globalization;
using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Security;

public sealed class ClientLimitTests
{
    [Fact]
    public async Task InstanceNew_BeyondCreatePerMinutePerClient_Answers429ProblemWithRetryAfter()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__CreatePerMinutePerClient"] = "3" });
        using var client = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await client.CreateInstanceAsync();
        }

        using var response = await client.PostAsync(new Uri("/instanceNew", UriKind.Relative), null);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "urn:skia-pool:problem:rate-limited");
        problem.GetProperty("detail").GetString().Should().Be("This client may create 3 instances a minute (Pool:CreatePerMinutePerClient).");
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        retryAfter.Should().BeInRange(1, 60);
    }

    [Fact]
    public async Task FirstRequest_ClientAtMaxInstancesPerClient_Answers429UntilOneOfItsInstancesStops()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__MaxInstancesPerClient"] = "2" });
        using var client = server.CreateClient();
        var first = await client.CreateInstanceAsync();
        var second = await client.CreateInstanceAsync();
        var third = await client.CreateInstanceAsync();
        await client.WhoAmIAsync(first);
        await client.WhoAmIAsync(second);

        using (var refused = await client.GetAsync(new Uri($"/{third}/whoami", UriKind.Relative)))
        {
            var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "urn:skia-pool:problem:too-many-instances");
            problem.GetProperty("detail").GetString().Should().StartWith("This client already runs 2 instances (Pool:MaxInstancesPerClient)");
        }

        (await client.WhoAmIAsync(first)).Should().BePositive("an instance already running keeps answering");
        (await client.DeleteAsync(new Uri($"/instances/{first}", UriKind.Relative))).Dispose();
        (await client.WhoAmIAsync(third)).Should().BePositive();
        (await client.ListInstancesAsync()).Select(i => i.GetProperty("id").GetString()).Should().BeEquivalentTo([second, third]);
    }
}
