using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Lifecycle;

/// <summary>
/// Many short sessions through a small pool, with restarts and crashes mixed in: at every point the
/// live processes are exactly the listed instances, and after shutdown there are none.
/// </summary>
public sealed class ChurnTests
{
    private const int Sessions = 120;
    private const int Workers = 4;

    [Fact]
    public async Task Churn_HundredsOfSessionsThroughFourSlotsWithRestartsAndCrashes_EndsWithNoProcessAndNoServerError()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string>
        {
            ["Pool__MaxInstances"] = "4",
            ["Pool__MinFreeSlots"] = "0",
            ["Pool__EvictAfterIdle"] = "00:00:00",
            ["Pool__StopGracePeriod"] = "00:00:01",
        });
        using var client = server.CreateClient();
        var random = new Random(20261203);
        var plans = Enumerable.Range(0, Sessions).Select(_ => random.Next(10)).ToArray();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        var next = -1;

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async _ =>
        {
            int session;
            while ((session = Interlocked.Increment(ref next)) < Sessions)
            {
                var id = await client.CreateInstanceAsync();
                statuses.Add(await SendAsync(client, HttpMethod.Get, $"/{id}/whoami"));
                var action = plans[session] switch
                {
                    0 or 1 => (HttpMethod.Post, $"/{id}/instanceStatus"), // restart
                    2 => (HttpMethod.Get, $"/{id}/quitquitquit"),         // self-exit
                    3 => (HttpMethod.Get, $"/{id}/crash-mid-response"),    // crash mid-answer
                    _ => (HttpMethod.Get, $"/{id}/info"),
                };
                statuses.Add(await SendAsync(client, action.Item1, action.Item2));
            }
        }));

        statuses.Should().NotContain(s => (int)s >= 500 && s != HttpStatusCode.BadGateway && s != HttpStatusCode.ServiceUnavailable);
        statuses.Count(s => s == HttpStatusCode.OK).Should().BeGreaterThan(Sessions, "most requests are served");
        await Eventually.TrueAsync(async () =>
        {
            var listed = await client.ListInstancesAsync();
            var live = server.InstanceProcesses();
            return listed.All(i => i.GetProperty("state").GetString() == "running")
                && listed.Select(i => i.GetProperty("pid").GetInt32()).Order().SequenceEqual(live.Order());
        }, "the live processes are exactly the listed instances");

        (await server.StopAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        server.InstanceProcesses().Should().BeEmpty();
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, HttpMethod method, string path)
    {
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return HttpStatusCode.BadGateway; // a crash mid-response aborts the answer, as it must
        }
    }
}
