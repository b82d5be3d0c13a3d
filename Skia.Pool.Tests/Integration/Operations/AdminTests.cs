using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Skia.Pool.Tests.Integration.Support;

namespace Skia.Pool.Tests.Integration.Operations;

/// <summary>The admin routes and page on a service with Pool:AdminToken set.</summary>
public sealed class AdminTests(AdminTokenServer fixture) : IClassFixture<AdminTokenServer>
{
    private PoolServer Server => fixture.Server;

    [Theory]
    [InlineData("GET", "/instances")]
    [InlineData("GET", "/instances/0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("DELETE", "/instances/0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("POST", "/instances/0f8fad5b-d9cb-469f-a165-70867728950e/restart")]
    [InlineData("GET", "/admin")]
    [InlineData("GET", "/admin/rows")]
    public async Task AdminRoute_NoToken_Answers401ProblemWithBearerChallenge(string method, string path)
    {
        using var client = Server.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "urn:skia-pool:problem:unauthorized");
        response.Headers.WwwAuthenticate.Select(h => h.Scheme).Should().Equal("Bearer", "Basic");
    }

    [Fact]
    public async Task Instances_WrongToken_Answers401()
    {
        using var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");

        using var response = await client.GetAsync(new Uri("/instances", UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "urn:skia-pool:problem:unauthorized");
    }

    [Fact]
    public async Task GetInstance_Running_AnswersItsPidPortStateAndTreeMemory()
    {
        using var client = fixture.CreateAdminClient();
        var id = await client.CreateInstanceAsync();
        var pid = await client.WhoAmIAsync(id);

        var view = await client.GetJsonAsync($"/instances/{id}");

        view.GetProperty("id").GetString().Should().Be(id);
        view.GetProperty("pid").GetInt32().Should().Be(pid);
        view.GetProperty("state").GetString().Should().Be("running");
        view.GetProperty("port").GetInt32().Should().BeInRange(Server.StartPort, Server.StartPort + 19);
        view.GetProperty("rssBytes").GetInt64().Should().BeGreaterThan(1024 * 1024, "a live .NET process holds more than a MiB");
    }

    [Fact]
    public async Task GetInstance_NoneRunning_Answers404AndStartsNothing()
    {
        using var client = fixture.CreateAdminClient();
        var id = await client.CreateInstanceAsync();

        using var response = await client.GetAsync(new Uri($"/instances/{id}", UriKind.Relative));

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "urn:skia-pool:problem:unknown-instance");
        (await client.ListInstancesAsync()).Should().NotContain(i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task StopInstance_Running_Answers204AndTheProcessIsGoneThenA404()
    {
        using var client = fixture.CreateAdminClient();
        var id = await client.CreateInstanceAsync();
        var pid = await client.WhoAmIAsync(id);

        using var stop = await client.DeleteAsync(new Uri($"/instances/{id}", UriKind.Relative));

        stop.StatusCode.Should().Be(HttpStatusCode.NoContent);
        MarkedProcesses.IsAlive(pid).Should().BeFalse();
        (await client.ListInstancesAsync()).Should().NotContain(i => i.GetProperty("id").GetString() == id);
        using var again = await client.DeleteAsync(new Uri($"/instances/{id}", UriKind.Relative));
        await again.ShouldBeProblemAsync(HttpStatusCode.NotFound, "urn:skia-pool:problem:unknown-instance");
    }

    [Fact]
    public async Task RestartInstance_Running_Answers200WithANewPidAndTheOldProcessGone()
    {
        using var client = fixture.CreateAdminClient();
        var id = await client.CreateInstanceAsync();
        var oldPid = await client.WhoAmIAsync(id);

        using var response = await client.PostAsync(new Uri($"/instances/{id}/restart", UriKind.Relative), null);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var newPid = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("pid").GetInt32();
        newPid.Should().NotBe(oldPid);
        MarkedProcesses.IsAlive(oldPid).Should().BeFalse();
        (await client.WhoAmIAsync(id)).Should().Be(newPid);
    }

    [Fact]
    public async Task RestartInstance_NoneRunning_Answers404AndStartsNothing()
    {
        using var client = fixture.CreateAdminClient();
        var id = await client.CreateInstanceAsync();

        using var response = await client.PostAsync(new Uri($"/instances/{id}/restart", UriKind.Relative), null);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "urn:skia-pool:problem:unknown-instance");
        (await client.ListInstancesAsync()).Should().NotContain(i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task AdminPage_BasicPasswordIsTheToken_ListsTheInstanceWithStopAndRestartAndItsScript()
    {
        using var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminTokenServer.Token)));
        var id = await client.CreateInstanceAsync();
        var pid = await client.WhoAmIAsync(id);

        var html = await client.GetStringAsync(new Uri("/admin", UriKind.Relative));

        html.Should().Contain($"<tr data-id=\"{id}\">")
            .And.Contain($"<td class=\"num pid\">{pid}</td>")
            .And.Contain($"data-action=\"restart\" data-id=\"{id}\"")
            .And.Contain($"data-action=\"stop\" data-id=\"{id}\"")
            .And.Contain("<script src=\"/admin/admin.js\" defer></script>");
    }

    [Fact]
    public async Task AdminScript_Get_IsServedHereAndLoadsNothingFromElsewhere()
    {
        using var client = Server.CreateClient();

        using var response = await client.GetAsync(new Uri("/admin/admin.js", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        var script = await response.Content.ReadAsStringAsync();
        script.Should().Contain("fetch(\"/admin/rows\"").And.NotContain("http://").And.NotContain("https://");
    }

    [Fact]
    public async Task LandingPage_Admin_ShowsTheAdminLink()
    {
        using var client = fixture.CreateAdminClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        html.Should().Contain("<a id=\"admin-link\" href=\"/admin\">");
    }

    [Fact]
    public async Task LandingPage_NotAnAdmin_HasNoAdminLink()
    {
        using var client = Server.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        html.Should().NotContain("/admin").And.Contain("New instance");
    }
}
