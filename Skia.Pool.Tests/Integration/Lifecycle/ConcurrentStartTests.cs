using System.Net;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Lifecycle;

/// <summary>Many first requests at once: one process per id, ids started in parallel.</summary>
public sealed class ConcurrentStartTests
{
    [Fact]
    public async Task FirstRequests_FiftyAtOnceForOneId_StartOneProcessThatAnswersAll()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();

        var pids = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.WhoAmIAsync(id)));

        pids.Distinct().Should().ContainSingle();
        server.InstanceProcesses().Should().Equal(pids[0]);
    }

    [Fact]
    public async Task FirstRequests_TwentyNewIdsAtOnce_TwentyProcessesOnTwentyPortsEachAnsweringItsOwn()
    {
        await using var server = await PoolServer.StartAsync(new Dictionary<string, string> { ["Pool__MaxInstances"] = "24" });
        using var client = server.CreateClient();
        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.CreateInstanceAsync()));

        var answers = await Task.WhenAll(ids.Select(async id => (Id: id, Who: await client.GetJsonAsync($"/{id}/whoami"))));

        answers.Select(a => a.Who.GetProperty("pid").GetInt32()).Distinct().Should().HaveCount(20);
        answers.Select(a => a.Who.GetProperty("port").GetInt32()).Distinct().Should().HaveCount(20);
        var listed = (await client.ListInstancesAsync()).ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("port").GetInt32());
        foreach (var (id, who) in answers)
        {
            listed[id].Should().Be(who.GetProperty("port").GetInt32(), "each id must be answered by its own instance");
        }

        server.InstanceProcesses().Should().HaveCount(20);
    }

    [Fact]
    public async Task Restart_FiveConcurrentRestartsAndRequests_SettleToExactlyOneLiveProcess()
    {
        await using var server = await PoolServer.StartAsync();
        using var client = server.CreateClient();
        var id = await client.CreateInstanceAsync();
        await client.WhoAmIAsync(id);

        var restarts = Enumerable.Range(0, 5).Select(async _ =>
        {
            using var response = await client.PostAsync(new Uri($"/{id}/instanceStatus", UriKind.Relative), null);
            return response.StatusCode;
        });
        var requests = Enumerable.Range(0, 5).Select(async _ =>
        {
            using var response = await client.GetAsync(new Uri($"/{id}/whoami", UriKind.Relative));
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(restarts.Concat(requests));

        statuses.Should().OnlyContain(s => s == HttpStatusCode.SeeOther || s == HttpStatusCode.OK);
        var live = server.InstanceProcesses();
        live.Should().ContainSingle();
        (await client.GetJsonAsync($"/{id}/instanceStatus")).GetProperty("pid").GetInt32().Should().Be(live[0]);
    }
}
