using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Operations;

public sealed class HealthTests
{
    [Fact]
    public async Task Readyz_CommandFound_Answers200Ready()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("ready\n");
    }

    [Fact]
    public async Task Readyz_CommandMissing_Answers503ServiceNotReadyNamingPoolCommand()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__Command"] = "no-such-skiaserve" });
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "urn:skia-pool:problem:service-not-ready");
        problem.GetProperty("detail").GetString().Should().Be("The instance command 'no-such-skiaserve' was not found (Pool:Command).");
    }

    [Fact]
    public async Task Readyz_CommandNotExecutable_Answers503ServiceNotReady()
    {
        var file = Path.GetTempFileName();
        try
        {
            await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__Command"] = file });
            using var client = server.CreateClient();

            using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "urn:skia-pool:problem:service-not-ready");
            problem.GetProperty("detail").GetString().Should().Be($"The instance command '{file}' is not executable (Pool:Command).");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
